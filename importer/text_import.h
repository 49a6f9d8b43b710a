// The announcement importer: an organiser's plain-text announcement (as the
// seed in shared/seeds/ is written) becomes a draft series
// (agenda-format.md, "Plain-text announcements"), in Finnish, Swedish or
// English.
//
// The text is read line by line. A line that opens with a date (weekday
// optional, year optional) and a time range starts a session; the
// paragraphs after it are its description, and `HH.MM-HH.MM item` lines its
// timetable. Text before the first session is the series title and
// description. A weekday that does not match its date is an error at that
// line; text that fits nowhere is kept as a note.
#pragma once

#include <string>
#include <string_view>

#include "importer/import_load.h"
#include "importer/import_options.h"

namespace kutsu::importer {

// `text` is UTF-8; `file` names it in diagnostics.
ImportLoad import_text(std::string_view text, const std::string& file, const ImportOptions& options);

}  // namespace kutsu::importer
