// Duration: an ISO 8601 duration as organisers write `before = "P1D"`.
//
// The series format gives the two halves different meanings, so they are kept
// apart: the calendar part (P…D, P…W) means "the same wall-clock time N days
// earlier" and so stays at 18:00 across a DST change; the exact part
// (PT…H…M…S) is elapsed time. `P1DT2H` has both; the calendar part applies
// first. Years and months are rejected: their length is ambiguous for
// reminders and no organiser needs them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::agenda {

class Duration {
 public:
  Duration() = default;
  Duration(int calendar_days, std::chrono::seconds exact) : days_(calendar_days), exact_(exact) {}

  // Parses "P7D", "P2W", "PT1H30M", "P1DT2H", "PT90S". Errors name what is
  // wrong ("expected a number after 'T'"). Fractions are not accepted.
  static Result<Duration> parse(std::string_view text);

  int calendar_days() const { return days_; }
  std::chrono::seconds exact() const { return exact_; }
  // Both parts are never negative (parse() rejects signs), so positive
  // means "not zero".
  bool is_positive() const { return days_ > 0 || exact_.count() > 0; }

  // Canonical text: "P1W" and "P7D" both print "P7D"; "PT90M" prints "PT1H30M".
  // Used in notification ids, so equal durations give equal ids.
  std::string canonical() const;

  friend bool operator==(const Duration&, const Duration&) = default;

 private:
  int days_ = 0;
  std::chrono::seconds exact_{0};
};

}  // namespace kutsu::agenda
