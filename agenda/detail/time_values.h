// Reading the time-valued keys of a series file (date-times, times of day,
// ISO 8601 durations) and ordering written times where the file alone allows.
//
// Nothing here converts between wall clock and instants: that needs the zone
// rules and belongs to the scheduler. Every reader reports its problems to the
// TomlTableReader's sink and returns nullopt for a bad or absent value.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "agenda/duration.h"
#include "agenda/written_time.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {

// A TOML local or offset date-time under `key`. When `day` is given, a bare
// local time (`10:00:00`) is accepted too and completed with that day: the
// agenda rule "a time on the session's date". A date outside the supported
// years (time_range.h) is reported, and the time still returned as written.
std::optional<WrittenTime> read_date_time(TomlTableReader& reader, std::string_view key, Need need,
                                          std::optional<date::local_days> day = std::nullopt);

// A TOML local date (2026-01-26) as a date.
date::local_days to_local_days(const toml::date& day);

// The TOML local date `node` (an element of `key`); nullopt, reported,
// for anything else.
std::optional<Located<date::local_days>> read_local_date(TomlTableReader& reader,
                                                         std::string_view key,
                                                         const toml::node& node);

// A TOML local time (`at = 09:00:00`) as the time since midnight.
std::optional<std::chrono::seconds> read_time_of_day(TomlTableReader& reader, std::string_view key);

// An ISO 8601 duration string; a zero duration is reported when `positive`.
std::optional<Located<Duration>> read_duration(TomlTableReader& reader, std::string_view key,
                                               Need need, bool positive);

// Orders two written times when both are local (wall-clock readings in the
// same zone) or both carry an offset (instants). nullopt when one is local and
// the other is not: ordering those needs the zone rules (the scheduler's job).
std::optional<std::strong_ordering> order(const WrittenTime& a, const WrittenTime& b);

// "2022-02-02T18:00:00", with "+02:00" appended when written with an offset.
std::string format(const WrittenTime& time);

}  // namespace kutsu::agenda::detail
