// Dates and times as a participant reads them, in their language.
//
// Every function takes a wall-clock reading that is already in the series
// zone (date::local_seconds); nothing here decides how a local time maps to
// an instant — that is the time rules' job (model/time_rules.h), and
// instants as RFC 3339 text are model/time_format.h.
//
// The formats are fixed by interfaces.md and are what tests compare byte for
// byte (the range dash is U+2013 EN DASH):
//   fi  ke 2.2.2022 klo 18.00–19.30     klo 9.45
//   sv  ons 2.2.2022 kl. 18.00–19.30    kl. 9.45
//   en  Wed 2 Feb 2022, 18:00–19:30     09:45
// A span that ends on a later day names both days:
//   fi  la 26.3.2022 klo 22.00 – su 27.3.2022 klo 2.00
// All functions are pure and thread-safe.
#pragma once

#include <string>

#include <date/date.h>

#include "agenda/language.h"
#include "agenda/written_time.h"

namespace date {
class time_zone;
}

namespace kutsu::notifier {

// "ke 2.2.2022" / "ons 2.2.2022" / "Wed 2 Feb 2022".
std::string format_date(date::local_days day, agenda::Language language);

// The bare clock reading: "9.45" (fi, sv) / "09:45" (en).
std::string format_clock(date::local_seconds time, agenda::Language language);

// A time of day as it stands alone in a sentence: "klo 9.45" / "kl. 9.45" / "09:45".
std::string format_time(date::local_seconds time, agenda::Language language);

// A clock range inside one day, as in a timetable: "10.00–10.20" / "10:00–10:20".
std::string format_clock_range(date::local_seconds start, date::local_seconds end,
                               agenda::Language language);

// Date and time range of an event: "ke 2.2.2022 klo 18.00–19.30".
std::string format_span(date::local_seconds start, date::local_seconds end,
                        agenda::Language language);

// Date and time of a moment: "ke 2.2.2022 klo 18.00" / "Wed 2 Feb 2022, 18:00".
std::string format_moment(date::local_seconds time, agenda::Language language);

// The wall-clock reading of `time` in `zone`. A time the organiser wrote
// with an offset is an instant and is shown in the series zone; a local time
// is already a wall-clock reading in that zone and is returned as written.
date::local_seconds wall_clock_of(const agenda::WrittenTime& time, const date::time_zone& zone);

}  // namespace kutsu::notifier
