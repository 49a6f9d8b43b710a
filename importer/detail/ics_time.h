// IcsTime: one date or date-time value of an iCalendar property (DTSTART,
// DTEND, EXDATE, RDATE, RECURRENCE-ID), read with the zone its TZID names,
// and its wall-clock reading in the series zone.
//
// Promises: a DATE value is an all-day date; a value without TZID and
// without 'Z' is floating (a wall-clock reading in whatever zone the series
// has); 'Z' and UTC TZIDs are instants; other TZIDs are resolved by IcsZones.
// A TZID nobody knows, a year outside 1970–2037 (agenda/time_range.h) or a
// value libical could not read is an Error whose message finishes the
// sentence "DTSTART …" for the caller. Instants of a reading that a DST
// change skips or repeats are the earlier one (as a clock that shows it
// first); a reading in the series zone itself is kept as written.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <date/tz.h>
#include <libical/ical.h>

#include "base/result.h"
#include "importer/detail/ics_zone.h"

namespace kutsu::importer::detail {

struct IcsTime {
  bool all_day = false;                  // a DATE value
  date::local_seconds reading{};         // as written (an all-day date: its midnight)
  std::optional<date::sys_seconds> instant;  // UTC and zoned values
  const date::time_zone* tz = nullptr;   // the IANA zone it was written in, if any
  std::string iana;                      // that zone's name (counts towards the series zone)
  bool floating() const { return !all_day && !instant; }
};

// `value` as libical parsed it, `tzid` the property's TZID parameter or null.
Result<IcsTime> read_ics_time(const icaltimetype& value, const char* tzid, icalcomponent* calendar,
                              IcsZones& zones);

// The wall-clock reading in `series` (an all-day date: its midnight).
date::local_seconds in_zone(const IcsTime& time, const date::time_zone& series);

// The date a value falls on in `series`.
date::local_days day_in_zone(const IcsTime& time, const date::time_zone& series);

}  // namespace kutsu::importer::detail
