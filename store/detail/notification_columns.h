// The column list every notification query selects, and the reader that turns
// such a result row into a NotificationRow. Kept together so the two cannot
// drift apart.
#pragma once

#include <string_view>

#include "store/detail/database.h"
#include "store/rows.h"

namespace kutsu::store::detail {

inline constexpr std::string_view kNotificationColumns =
    "id, series_id, session_id, kind, reminder_offset, channel, recipient, due, session_start, "
    "state, attempts, next_attempt_at, last_result, created_at, updated_at, sent_at";

// Reads the kNotificationColumns of the current row. Throws SqliteError on a
// state name the schema's CHECK should have made impossible.
NotificationRow read_notification(const Statement& statement);

}  // namespace kutsu::store::detail
