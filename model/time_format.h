// Instants as text, the way Kutsu shows and accepts them: RFC 3339 with
// seconds, in UTC ("2022-02-01T07:00:00Z") or at a zone's offset for that
// instant ("2022-02-01T09:00:00+02:00"), and UTC offsets as "+05:30".
//
// These are pure functions without locale or streams (they run once per
// distinct due time of a million-line plan). The zone is only used to find
// the offset in force at the instant, never to convert a wall-clock reading
// (that is time_rules.h).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "base/result.h"

namespace kutsu::model {

// "2022-02-01T07:00:00Z".
std::string format_utc(date::sys_seconds instant);

// The wall-clock reading of `instant` in `zone` with the offset in force:
// "2022-02-01T09:00:00+02:00".
std::string format_in_zone(date::sys_seconds instant, const date::time_zone& zone);

// A wall-clock reading without offset: "2022-03-27T03:30:00".
std::string format_local(date::local_seconds reading);

// "HH:MM", or "HH:MM:SS" when the seconds are not zero (historic offsets).
std::string format_clock(std::chrono::seconds time_of_day);

// "+02:00", "-03:30", "+05:30"; seconds are shown only when not zero.
std::string format_offset(std::chrono::seconds offset);

// Reads an RFC 3339 date-time with seconds and a zone designator: "Z" (or
// "z") or "±HH:MM", e.g. "2022-02-01T12:00:00Z". A 'T' or a space separates
// date and time. Fractional seconds are not accepted. The error names the
// expected form.
Result<date::sys_seconds> parse_rfc3339(std::string_view text);

}  // namespace kutsu::model
