// The iCalendar importer: an Outlook, Google or municipal calendar export
// becomes a draft series (agenda-format.md, "iCalendar files").
//
// libical reads the file. Every VEVENT that is not an override becomes a
// session: SUMMARY, DESCRIPTION, LOCATION, URL (https → join_url; else a
// Teams, Zoom or Meet link found in the description), DTSTART with DTEND or
// DURATION. TZIDs naming IANA zones, Windows zone names as Outlook writes
// them (mapped by ICU) and VTIMEZONEs defined in the file are honoured, as
// are UTC and floating times; every time is converted to the series zone
// (`options.timezone`, else the zone most events use). RRULE/EXDATE/RDATE
// become repeat/except/dates; RECURRENCE-ID overrides become occurrences;
// cancelled events and instances become cancelled sessions and occurrences.
#pragma once

#include <string>
#include <string_view>

#include "importer/import_load.h"
#include "importer/import_options.h"

namespace kutsu::importer {

// `text` is the file's content as UTF-8; `file` names it in diagnostics.
ImportLoad import_ics(std::string_view text, const std::string& file, const ImportOptions& options);

}  // namespace kutsu::importer
