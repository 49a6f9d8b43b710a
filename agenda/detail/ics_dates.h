// `dates = "valtuusto-2026.ics"`: the dates of a published meeting calendar.
//
// Every VEVENT of the file gives the local date of its DTSTART in the series
// zone: an all-day event its date, a floating time its own date, and a time
// with a TZID or in UTC the date it falls on in the series zone (a meeting at
// 23:30Z is the next day in Helsinki). Cancelled events (STATUS:CANCELLED)
// give none: a cancelled council meeting has no group meeting before it.
// libical parses the file; it is never read by hand.
#pragma once

#include <string_view>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "base/result.h"

namespace kutsu::agenda::detail {

// Sorted, without repeats. An error when the text is not iCalendar or holds
// no event with a start.
Result<std::vector<date::local_days>> ics_dates(std::string_view text, const date::time_zone& zone);

}  // namespace kutsu::agenda::detail
