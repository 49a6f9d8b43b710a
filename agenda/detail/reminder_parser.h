// The notification rules of a series file: `[[reminder]]` (or
// `[[session.reminder]]`) lists and the `[invitation]` table. Problems are
// reported to the sink; the returned values hold only what was valid.
#pragma once

#include <optional>
#include <vector>

#include <toml++/toml.h>

#include "base/diagnostic_sink.h"
#include "agenda/series.h"

namespace kutsu::agenda::detail {

// Each table needs a positive `before` of at most a year (time_range.h);
// `at` is a local time of day and `channels` a non-empty list of "email" /
// "webhook". Two reminders with the same `before` on a shared channel would
// plan the same notification twice, so the second is reported.
std::vector<Reminder> parse_reminders(const std::vector<const toml::table*>& tables,
                                      DiagnosticSink& sink);

// Exactly one of `send_at` (a date-time) or `before` (a positive duration of
// at most a year).
// Whether send_at precedes the first session is checked by the series parser.
std::optional<Invitation> parse_invitation(const toml::table& table, DiagnosticSink& sink);

}  // namespace kutsu::agenda::detail
