// The life of a stored notification, and tallies of it.
//
// pending → sending → sent, or → retrying → … → failed, or missed (overdue
// past the misfire grace), or superseded (no longer planned). The store only
// records these states; when a notification moves between them is decided by
// the scheduler (claim, misfire rule, backoff) and the admin API (retry).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kutsu::store {

enum class NotificationState { pending, sending, sent, retrying, failed, missed, superseded };

inline constexpr std::array<NotificationState, 7> kAllNotificationStates = {
    NotificationState::pending,   NotificationState::sending, NotificationState::sent,
    NotificationState::retrying,  NotificationState::failed,  NotificationState::missed,
    NotificationState::superseded};

// The lowercase names used in the database and the admin API ("pending" …).
std::string_view to_string(NotificationState state);
std::optional<NotificationState> parse_notification_state(std::string_view name);

// Notifications per state; every state is present (zero when none).
class StateCounts {
 public:
  std::int64_t operator[](NotificationState state) const {
    return counts_[static_cast<std::size_t>(state)];
  }
  std::int64_t& operator[](NotificationState state) {
    return counts_[static_cast<std::size_t>(state)];
  }
  std::int64_t total() const;
  friend bool operator==(const StateCounts&, const StateCounts&) = default;

 private:
  std::array<std::int64_t, kAllNotificationStates.size()> counts_{};
};

}  // namespace kutsu::store
