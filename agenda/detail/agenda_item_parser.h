// A session's programme: the `[[session.agenda]]` items of one `[[session]]`.
//
// Each item needs `start` and `title`; `end` is optional (a point in time such
// as "14.55 Tilaisuuden päätös"). A bare local time takes the session's date.
// Items must lie inside [session start, session end], end after they start,
// and not overlap one another; times are compared only where the file alone
// can order them (see time_values.h), the rest is left to the scheduler.
#pragma once

#include <optional>
#include <vector>

#include <toml++/toml.h>

#include "base/diagnostic_sink.h"
#include "agenda/series.h"

namespace kutsu::agenda::detail {

// `session_start` / `session_end` are nullopt when the session's own times
// were bad (already reported); the span checks are then skipped.
std::vector<AgendaItem> parse_agenda_items(const std::vector<const toml::table*>& tables,
                                           const std::optional<WrittenTime>& session_start,
                                           const std::optional<WrittenTime>& session_end,
                                           DiagnosticSink& sink);

std::optional<AgendaItemKind> parse_agenda_item_kind(std::string_view name);

}  // namespace kutsu::agenda::detail
