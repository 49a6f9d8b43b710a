// `repeat`: an RFC 5545 RRULE as organisers write it, checked and expanded
// with libical's recurrence iterator (never by hand).
//
// The rule is read in the series zone on wall-clock readings: a weekly
// 18:00 stays at 18:00 across DST changes, which is what RRULE means with a
// DTSTART that has a TZID. Two readings of UNTIL make it mean what organisers
// mean: a date (UNTIL=20260602) includes that whole day, and a UTC time
// (UNTIL=20260602T150000Z) is compared as the wall clock it shows in the
// series zone.
//
// Pure functions; thread-safe (libical's iterator is used on one thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

namespace kutsu::agenda::detail {

struct RuleProblem {
  std::size_t offset = 0;  // into the rule text: where the bad part starts
  std::string message;
};

// What is wrong with `rule`, or nullopt. Accepted: FREQ=DAILY|WEEKLY|MONTHLY|
// YEARLY with INTERVAL, COUNT or UNTIL, BYDAY (ordinals only with MONTHLY and
// YEARLY), BYMONTHDAY, BYMONTH, BYSETPOS, WKST.
std::optional<RuleProblem> check_rule(std::string_view rule);

// Neither COUNT nor UNTIL. Precondition: check_rule(rule) found nothing.
bool is_open_ended(std::string_view rule);

// The readings of the rule's occurrences from `first` (its DTSTART) on, in
// order, while they fall on or before `until`; at most `limit` of them.
// Precondition: check_rule(rule) found nothing.
std::vector<date::local_seconds> expand_rule(std::string_view rule, date::local_seconds first,
                                             const date::time_zone& zone, date::local_days until,
                                             std::size_t limit);

}  // namespace kutsu::agenda::detail
