#include "agenda/duration.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

namespace kutsu::agenda {
namespace {

// Reads the digits at `text[pos]`, advancing `pos`. Reports what is wrong in
// `error` (and returns nullopt) when there is no number or it is too large.
// Six digits are enough for any reminder and keep every sum below overflow.
std::optional<std::int64_t> read_number(std::string_view text, std::size_t& pos,
                                        std::string_view after, std::string& error) {
  std::size_t end = pos;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == pos) {
    error = "expected a number after '" + std::string(after) + "'";
    return std::nullopt;
  }
  if (end - pos > 6) {
    error = "number " + std::string(text.substr(pos, end - pos)) + " is too large";
    return std::nullopt;
  }
  std::int64_t value = 0;
  std::from_chars(text.data() + pos, text.data() + end, value);
  pos = end;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    error = "fractions are not supported";
    return std::nullopt;
  }
  return value;
}

Error duration_error(std::string_view text, const std::string& why) {
  return Error{"invalid duration '" + std::string(text) + "': " + why};
}

}  // namespace

Result<Duration> Duration::parse(std::string_view text) {
  if (text.empty() || text.front() != 'P') {
    return duration_error(text, "an ISO 8601 duration starts with 'P' (like \"P1D\" or \"PT1H\")");
  }
  std::size_t pos = 1;
  std::int64_t days = 0;
  std::int64_t seconds = 0;
  std::string error;

  // Calendar part: W then D, each at most once, in that order.
  std::string_view calendar_units = "WD";
  std::size_t next_calendar = 0;
  while (pos < text.size() && text[pos] != 'T') {
    std::optional<std::int64_t> number = read_number(text, pos, text.substr(pos - 1, 1), error);
    if (!number) return duration_error(text, error);
    if (pos == text.size()) return duration_error(text, "missing unit after the number");
    char unit = text[pos];
    if (unit == 'Y' || unit == 'M') {
      return duration_error(text,
                            "years and months are not supported (their length varies); "
                            "use days or weeks");
    }
    std::size_t index = calendar_units.find(unit, next_calendar);
    if (index == std::string_view::npos) {
      return duration_error(text, std::string("unexpected '") + unit +
                                      "' (the date part takes W and D, in that order)");
    }
    days += unit == 'W' ? *number * 7 : *number;
    next_calendar = index + 1;
    ++pos;
  }

  // Exact part: H, M, S, each at most once, in that order.
  if (pos < text.size()) {
    ++pos;  // 'T'
    if (pos == text.size()) return duration_error(text, "expected a number after 'T'");
    std::string_view time_units = "HMS";
    std::size_t next_time = 0;
    while (pos < text.size()) {
      std::optional<std::int64_t> number = read_number(text, pos, text.substr(pos - 1, 1), error);
      if (!number) return duration_error(text, error);
      if (pos == text.size()) return duration_error(text, "missing unit after the number");
      char unit = text[pos];
      std::size_t index = time_units.find(unit, next_time);
      if (index == std::string_view::npos) {
        return duration_error(text, std::string("unexpected '") + unit +
                                        "' (the time part takes H, M and S, in that order)");
      }
      constexpr std::int64_t kUnitSeconds[] = {3600, 60, 1};
      seconds += *number * kUnitSeconds[index];
      next_time = index + 1;
      ++pos;
    }
  } else if (pos == 1) {
    return duration_error(text, "expected a number after 'P'");
  }

  if (days > std::numeric_limits<int>::max() / 2) return duration_error(text, "too many days");
  return Duration(static_cast<int>(days), std::chrono::seconds(seconds));
}

std::string Duration::canonical() const {
  std::string out = "P";
  if (days_ > 0) out += std::to_string(days_) + "D";
  auto total = exact_.count();
  if (total > 0 || days_ == 0) {
    out += "T";
    auto hours = total / 3600;
    auto minutes = total % 3600 / 60;
    auto seconds = total % 60;
    if (hours > 0) out += std::to_string(hours) + "H";
    if (minutes > 0) out += std::to_string(minutes) + "M";
    if (seconds > 0 || total == 0) out += std::to_string(seconds) + "S";
  }
  return out;
}

}  // namespace kutsu::agenda
