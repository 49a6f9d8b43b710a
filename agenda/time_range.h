// The span of time a series may use: which years its times may fall in, and
// how far ahead of a session a reminder or the invitation may be sent.
//
// Every time a series file writes (session start and end, doors_open, agenda
// items, `send_at`) must read a date in the supported years on the wall
// clock it is written in; the agenda parser reports one that does not. Every
// moment Kutsu computes from them (a reminder, `[invitation] before`) must
// too, read in the series zone; the planner reports one that does not.
//
// Why 1970–2037:
//  - Howard Hinnant's date over the system tz database (USE_OS_TZDB, how
//    Debian builds it) reads only the transitions listed in the zone files,
//    which zic writes out to 2037, and not the rule for the years after: for
//    it, Helsinki keeps +02:00 all summer from 2038 on. A later session would
//    be planned an hour away from where every calendar program shows it.
//    Clients that still count time in 32-bit seconds end in January 2038 too.
//  - The tz database promises accuracy only from 1970, and nothing before it
//    can be notified anyway. (libical itself writes years past 2999 as
//    00000000T000000, which is how a year 3001 typo became visible.)
// Why at most 366 days of `before`: a year and a day is the longest a
// reminder or invitation can sensibly lead its session (P52W is 364 days),
// and so a planned moment stays within a year of the times written.
//
// Constants and pure functions only; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <date/date.h>

#include "agenda/duration.h"

namespace kutsu::agenda {

inline constexpr date::year kFirstSupportedYear{1970};
inline constexpr date::year kLastSupportedYear{2037};
inline constexpr int kMaxBeforeDays = 366;

// Whether a wall-clock reading falls on a date in the supported years.
inline bool in_supported_years(date::local_seconds reading) {
  const date::year year = date::year_month_day{date::floor<date::days>(reading)}.year();
  return year >= kFirstSupportedYear && year <= kLastSupportedYear;
}

// Whether `before` (its calendar days taken as 24 hours) is at most kMaxBeforeDays.
inline bool within_max_before(const Duration& before) {
  constexpr std::int64_t kLimit = std::int64_t{kMaxBeforeDays} * 86400;
  return std::int64_t{before.calendar_days()} * 86400 + before.exact().count() <= kLimit;
}

// The end of every message about a time out of range, so they all say the same.
inline std::string outside_supported_years() {
  return "outside the years Kutsu supports, " + std::to_string(int{kFirstSupportedYear}) + "–" +
         std::to_string(int{kLastSupportedYear}) + " (time-zone rules are known only for those)";
}

}  // namespace kutsu::agenda
