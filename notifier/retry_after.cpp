#include "notifier/retry_after.h"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <string>

namespace kutsu::notifier {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<date::sys_seconds> parse_http_date(std::string_view text) {
  // IMF-fixdate first (what every current server sends), then RFC 850 and asctime.
  static constexpr const char* formats[] = {"%a, %d %b %Y %H:%M:%S GMT",
                                            "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"};
  for (const char* format : formats) {
    std::istringstream in{std::string(text)};
    date::sys_seconds when;
    in >> date::parse(format, when);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return when;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      date::sys_seconds now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    long long seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    return std::min(std::chrono::seconds(seconds), kMaxRetryAfter);
  }
  std::optional<date::sys_seconds> when = parse_http_date(value);
  if (!when) return std::nullopt;
  if (*when <= now) return std::chrono::seconds::zero();
  return std::min<std::chrono::seconds>(*when - now, kMaxRetryAfter);
}

}  // namespace kutsu::notifier
