#include "agenda/detail/time_values.h"

#include <date/date.h>

#include "agenda/time_range.h"

namespace kutsu::agenda::detail {
date::local_days to_local_days(const toml::date& day) {
  return date::local_days{date::year{day.year} / static_cast<unsigned>(day.month) /
                          static_cast<unsigned>(day.day)};
}

namespace {

std::chrono::seconds to_seconds(const toml::time& time) {
  return std::chrono::hours{time.hour} + std::chrono::minutes{time.minute} +
         std::chrono::seconds{time.second};
}

// Whole seconds are the resolution of every time in the model; a fraction
// would be silently dropped, so it is an error.
bool has_fraction(const toml::time& time) { return time.nanosecond != 0; }

void report_fraction(TomlTableReader& reader, const toml::node& node, std::string_view key) {
  reader.sink().error(position_of(node),
                      "'" + std::string(key) + "' must be in whole seconds, without a fraction");
}

// The year as written decides, offset or not: that is the reading the
// organiser sees, and a typo in it is what this catches. The time is still
// returned, so that the checks after this one (agenda items on the session's
// day, ordering) run as usual and a wrong year is one error, not one per item.
WrittenTime in_range(TomlTableReader& reader, std::string_view key, WrittenTime time) {
  if (!in_supported_years(time.local)) {
    reader.sink().error(time.pos, "'" + std::string(key) + "' " + format(time) + " is " +
                                      outside_supported_years());
  }
  return time;
}

}  // namespace

std::optional<WrittenTime> read_date_time(TomlTableReader& reader, std::string_view key, Need need,
                                          std::optional<date::local_days> day) {
  const toml::node* node = reader.find(key, need);
  if (!node) return std::nullopt;
  if (const auto* value = node->as_date_time()) {
    const toml::date_time& written = value->get();
    if (has_fraction(written.time)) {
      report_fraction(reader, *node, key);
      return std::nullopt;
    }
    WrittenTime result{to_local_days(written.date) + to_seconds(written.time), std::nullopt,
                       position_of(*node)};
    if (written.offset) result.utc_offset = std::chrono::minutes{written.offset->minutes};
    return in_range(reader, key, result);
  }
  if (const auto* value = node->as_time(); value && day) {
    if (has_fraction(value->get())) {
      report_fraction(reader, *node, key);
      return std::nullopt;
    }
    // On the session's day, whose year was checked with the session's start.
    return WrittenTime{*day + to_seconds(value->get()), std::nullopt, position_of(*node)};
  }
  reader.wrong_type(key, *node,
                    day ? "a date-time (2022-03-26T10:00:00) or a time of day (10:00:00)"
                        : "a date-time (like 2022-02-02T18:00:00)");
  return std::nullopt;
}

std::optional<Located<date::local_days>> read_local_date(TomlTableReader& reader,
                                                         std::string_view key,
                                                         const toml::node& node) {
  if (const auto* value = node.as_date()) {
    return Located<date::local_days>{to_local_days(value->get()), position_of(node)};
  }
  reader.wrong_type(key, node, "a date (like 2026-01-26)");
  return std::nullopt;
}

std::optional<std::chrono::seconds> read_time_of_day(TomlTableReader& reader,
                                                     std::string_view key) {
  const toml::node* node = reader.find(key);
  if (!node) return std::nullopt;
  if (const auto* value = node->as_time()) {
    if (has_fraction(value->get())) {
      report_fraction(reader, *node, key);
      return std::nullopt;
    }
    return to_seconds(value->get());
  }
  reader.wrong_type(key, *node, "a local time of day (like 09:00:00)");
  return std::nullopt;
}

std::optional<Located<Duration>> read_duration(TomlTableReader& reader, std::string_view key,
                                               Need need, bool positive) {
  std::optional<Located<std::string>> text = reader.string(key, need);
  if (!text) return std::nullopt;
  Result<Duration> duration = Duration::parse(text->value);
  if (!duration) {
    reader.sink().error(text->pos, duration.error().message);
    return std::nullopt;
  }
  if (positive && !duration->is_positive()) {
    reader.sink().error(text->pos, "'" + std::string(key) + "' must be a positive duration, not '" +
                                       text->value + "'");
    return std::nullopt;
  }
  return Located<Duration>{*duration, text->pos};
}

std::optional<std::strong_ordering> order(const WrittenTime& a, const WrittenTime& b) {
  if (a.utc_offset.has_value() != b.utc_offset.has_value()) return std::nullopt;
  if (!a.utc_offset) return a.local <=> b.local;
  return a.instant_from_offset() <=> b.instant_from_offset();
}

std::string format(const WrittenTime& time) {
  std::string text = date::format("%FT%T", time.local);
  if (time.utc_offset) {
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(*time.utc_offset).count();
    char sign = minutes < 0 ? '-' : '+';
    if (minutes < 0) minutes = -minutes;
    text += sign;
    text += date::format("%H:%M", std::chrono::minutes{minutes});
  }
  return text;
}

}  // namespace kutsu::agenda::detail
