// How an attempt is written down, the same in both outboxes (SQLite and
// PostgreSQL), so that a row's last_result and state read alike whichever
// store recorded it, and `kutsu store copy` moves them unchanged.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "store/rows.h"

namespace kutsu::store::detail {

// "retry 451 mailbox busy", "sent 250", "retry connection refused": the
// outcome, the code (once: an SMTP reply line starts with it already) and
// the detail.
std::string summary_of(const AttemptResult& result);

// The state a `sending` row moves to with this attempt (rows.h, RecordedAttempt).
NotificationState state_after(const RecordedAttempt& recorded);

// invalid when the attempt's fields contradict its outcome (a next attempt
// named for anything but a retry).
Status check_attempt(const RecordedAttempt& recorded);

}  // namespace kutsu::store::detail
