// A recurring session's occurrences as Sessions (agenda-format.md,
// "Recurring sessions").
//
// Each occurrence is the written session moved to its date: every local
// time in it (start, end, doors_open, agenda items) moves by the same number
// of days, so 18:00 stays 18:00 whatever the DST rules do between the dates.
// Its id is `<id>-<YYYYMMDD>` of the date the rule gave it; a
// [[session.occurrence]] may then move it (keeping the id), cancel it, or
// override its title, location, join_url, description or speakers.
//
// Problems are reported at the line that causes them: an `except` or
// occurrence date that is not an occurrence, a rule with no occurrence or
// with more than kMaxOccurrences up to the horizon, bad override values.
#pragma once

#include <cstddef>
#include <vector>

#include "agenda/detail/recurrence_parser.h"
#include "agenda/series.h"
#include "base/diagnostic_sink.h"

namespace kutsu::agenda::detail {

inline constexpr std::size_t kMaxOccurrences = 1000;

// `pattern` is the session as written, its start on the first occurrence's
// date (for `dates`, the first date after `on`), all its times local.
// Occurrences come back by planned date, each with `occurrence` set
// (recurring index `recurring`).
std::vector<Session> expand_occurrences(const Session& pattern, const RecurrenceSpec& spec,
                                        const SessionContext& context, std::size_t recurring,
                                        DiagnosticSink& sink);

}  // namespace kutsu::agenda::detail
