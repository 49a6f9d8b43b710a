#include "scheduler/outbox_rows.h"

#include "agenda/channel.h"

namespace kutsu::scheduler {

std::vector<store::PlannedNotification> planned_rows(const Plan& plan) {
  return planned_rows(std::span<const Notification>(plan.notifications));
}

std::vector<store::PlannedNotification> planned_rows(std::span<const Notification> notifications) {
  std::vector<store::PlannedNotification> rows;
  rows.reserve(notifications.size());
  for (const Notification& notification : notifications) {
    store::PlannedNotification row;
    row.id = notification.id.to_string();
    if (notification.session != nullptr) row.session_id = notification.session->id;
    row.kind = std::string(to_string(notification.kind));
    if (notification.reminder != nullptr) row.offset = notification.reminder->before.canonical();
    row.channel = std::string(agenda::to_string(notification.channel));
    row.recipient = std::string(notification.recipient);
    row.due = notification.due;
    row.session_start = notification.session_start;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now) {
  std::vector<std::string> ids;
  for (const Notification& notification : plan.notifications) {
    if (notification.due >= now) break;  // sorted by due: the rest is still ahead
    if (rule.classify(notification.kind, notification.due, plan.span_of(notification), now) ==
        DueState::missed) {
      ids.push_back(notification.id.to_string());
    }
  }
  return ids;
}

}  // namespace kutsu::scheduler
