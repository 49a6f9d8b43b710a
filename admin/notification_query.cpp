#include "admin/notification_query.h"

#include <charconv>
#include <set>
#include <string>

namespace kutsu::admin {

namespace {

Error bad(std::string_view name, std::string_view why) {
  return Error{"parameter '" + std::string(name) + "' " + std::string(why)};
}

std::optional<std::size_t> parse_limit(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > kMaxPageLimit) return std::nullopt;
  return value;
}

}  // namespace

Result<store::NotificationQuery> parse_notification_query(boost::urls::params_view params) {
  store::NotificationQuery query;
  std::set<std::string, std::less<>> seen;
  for (const boost::urls::param& param : params) {
    const std::string& name = param.key;
    if (!seen.insert(name).second) return bad(name, "is given twice");
    if (!param.has_value) return bad(name, "has no value");
    const std::string& value = param.value;
    if (name == "series") {
      query.series_id = value;
    } else if (name == "session") {
      query.session_id = value;
    } else if (name == "state") {
      query.state = store::parse_notification_state(value);
      if (!query.state) return bad(name, "must be a notification state, not '" + value + "'");
    } else if (name == "limit") {
      std::optional<std::size_t> limit = parse_limit(value);
      if (!limit) return bad(name, "must be a whole number from 1 to 1000");
      query.limit = *limit;
    } else if (name == "after") {
      query.after = value;
    } else if (name == "order") {
      if (value == "due") {
        query.order = store::ListOrder::due;
      } else if (value == "newest") {
        query.order = store::ListOrder::newest;
      } else {
        return bad(name, "must be 'due' or 'newest', not '" + value + "'");
      }
    } else {
      return bad(name, "is not known");
    }
  }
  return query;
}

}  // namespace kutsu::admin
