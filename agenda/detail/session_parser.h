// One `[[session]]` table → Session.
//
// Checks what the session alone can tell: keys and types, the id pattern,
// `end` or `duration` (exactly one) with the end after the start, doors_open
// before the start, an https join link, `reminders = "none"` versus its own
// `[[session.reminder]]` list, and its agenda items. Problems go to the sink;
// the returned Session holds the good values (bad ones stay at defaults), so
// that cross-session checks (duplicate ids, the invitation) can still run.
#pragma once

#include <toml++/toml.h>

#include "base/diagnostic_sink.h"
#include "agenda/series.h"

namespace kutsu::agenda::detail {

struct ParsedSession {
  Session session;
  bool has_valid_id = false;     // session.id is usable for the duplicate check
  SourcePos id_pos;              // where the id value stands
  bool has_valid_start = false;  // session.start is usable for the invitation check
};

ParsedSession parse_session(const toml::table& table, DiagnosticSink& sink);

}  // namespace kutsu::agenda::detail
