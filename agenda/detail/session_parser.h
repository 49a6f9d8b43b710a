// One `[[session]]` table → Session.
//
// Checks what the session alone can tell: keys and types, the id pattern,
// `end` or `duration` (exactly one) with the end after the start, doors_open
// before the start, an https join link, `reminders = "none"` versus its own
// `[[session.reminder]]` list, and its agenda items. Problems go to the sink;
// the returned Session holds the good values (bad ones stay at defaults), so
// that cross-session checks (duplicate ids, the invitation) can still run.
//
// A recurring session (`repeat` or `dates`) comes back as its pattern: the
// session as written with its start on the first occurrence's date (a bare
// `start = 18:00:00` is completed with the first date of `dates`), and the
// recurrence to expand (occurrences.h).
#pragma once

#include <optional>

#include <toml++/toml.h>

#include "agenda/detail/recurrence_parser.h"
#include "agenda/series.h"
#include "base/diagnostic_sink.h"

namespace kutsu::agenda::detail {

struct ParsedSession {
  Session session;
  bool has_valid_id = false;     // session.id is usable for the duplicate check
  SourcePos id_pos;              // where the id value stands
  bool has_valid_start = false;  // session.start is usable for the invitation check
  std::optional<RecurrenceSpec> recurrence;
};

ParsedSession parse_session(const toml::table& table, const SessionContext& context,
                            DiagnosticSink& sink);

}  // namespace kutsu::agenda::detail
