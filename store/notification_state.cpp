#include "store/notification_state.h"

#include <numeric>

namespace kutsu::store {

std::string_view to_string(NotificationState state) {
  switch (state) {
    case NotificationState::pending:
      return "pending";
    case NotificationState::sending:
      return "sending";
    case NotificationState::sent:
      return "sent";
    case NotificationState::retrying:
      return "retrying";
    case NotificationState::failed:
      return "failed";
    case NotificationState::missed:
      return "missed";
    case NotificationState::superseded:
      return "superseded";
  }
  return "unknown";
}

std::optional<NotificationState> parse_notification_state(std::string_view name) {
  for (NotificationState state : kAllNotificationStates) {
    if (to_string(state) == name) return state;
  }
  return std::nullopt;
}

std::int64_t StateCounts::total() const {
  return std::accumulate(counts_.begin(), counts_.end(), std::int64_t{0});
}

}  // namespace kutsu::store
