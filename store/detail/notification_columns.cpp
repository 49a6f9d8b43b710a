#include "store/detail/notification_columns.h"

namespace kutsu::store::detail {

NotificationRow read_notification(const Statement& statement) {
  NotificationRow row;
  row.id = statement.text(0);
  row.series_id = statement.text(1);
  row.session_id = statement.optional_text(2);
  row.kind = statement.text(3);
  row.offset = statement.optional_text(4);
  row.channel = statement.text(5);
  row.recipient = statement.text(6);
  row.due = statement.time(7);
  row.session_start = statement.time(8);
  std::string state = statement.text(9);
  std::optional<NotificationState> parsed = parse_notification_state(state);
  if (!parsed) throw SqliteError("notification " + row.id + " has unknown state '" + state + "'");
  row.state = *parsed;
  row.attempts = static_cast<int>(statement.integer(10));
  row.next_attempt_at = statement.optional_time(11);
  row.last_result = statement.optional_text(12);
  row.created_at = statement.time(13);
  row.updated_at = statement.time(14);
  row.sent_at = statement.optional_time(15);
  return row;
}

}  // namespace kutsu::store::detail
