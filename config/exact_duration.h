// Exact durations as the daemon config writes them: ISO 8601 "PT30S",
// "PT2M", "PT1H30M", "P1D", "P1DT12H", "P2W".
//
// In the config a day is always 86,400 seconds (a backoff or a grace period
// is elapsed time, not a calendar step), so the value is plain seconds. This
// parser is the config's own: config/ does not depend on agenda/, whose
// Duration keeps calendar days apart for reminders.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::config {

// Whole, non-negative components in the order W, D, then after "T" H, M, S;
// at least one component; no fractions, no signs, no years or months. The
// error message says what was expected and quotes the text.
Result<std::chrono::seconds> parse_exact_duration(std::string_view text);

// The shortest canonical form: 90 s → "PT1M30S", 86,400 s → "P1D", 0 → "PT0S".
std::string format_exact_duration(std::chrono::seconds duration);

}  // namespace kutsu::config
