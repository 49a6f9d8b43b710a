// ics_rule: an event's RRULE as the `repeat` value of a series file
// (agenda-format.md, "Recurring sessions").
//
// Promises: the rule as libical re-writes it (INTERVAL=1 and WKST=MO left
// out), with UNTIL in the date form organisers read (UNTIL=20260602): a UTC
// or local UNTIL becomes the last date on which an occurrence at the
// session's time of day in the series zone still starts on or before it, so
// the rule yields the same occurrences. A rule the series format refuses
// (FREQ=HOURLY, BYHOUR, …: agenda's check_rule) is an Error with its reason.
// Expects: `first` is the session's start (the rule's DTSTART) as a
// wall-clock reading in `series`.
#pragma once

#include <string>

#include <date/tz.h>
#include <libical/ical.h>

#include "base/result.h"

namespace kutsu::importer::detail {

Result<std::string> repeat_rule(icalrecurrencetype rule, date::local_seconds first,
                                const date::time_zone& series);

// "FREQ=WEEKLY;BYDAY=TU" for messages: the rule as libical writes it.
std::string rule_text(const icalrecurrencetype& rule);

}  // namespace kutsu::importer::detail
