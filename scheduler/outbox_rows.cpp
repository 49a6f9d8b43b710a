#include "scheduler/outbox_rows.h"

#include <optional>
#include <set>

#include "agenda/channel.h"

namespace kutsu::scheduler {

std::string_view NotificationRows::kind(std::size_t index) const {
  return to_string(at(index).kind);
}

std::string_view NotificationRows::channel(std::size_t index) const {
  return agenda::to_string(at(index).channel);
}

store::PlannedNotification NotificationRows::row(std::size_t index) const {
  const model::Notification& notification = at(index);
  store::PlannedNotification row;
  row.id = notification.id.to_string();
  if (notification.session != nullptr) row.session_id = notification.session->id;
  row.kind = std::string(to_string(notification.kind));
  if (notification.reminder != nullptr) row.offset = notification.reminder->before.canonical();
  row.channel = std::string(agenda::to_string(notification.channel));
  row.recipient = std::string(notification.recipient);
  row.due = notification.due;
  row.session_start = notification.session_start;
  return row;
}

std::vector<store::PlannedNotification> planned_rows(const Plan& plan) {
  const NotificationRows source(plan.notifications);
  std::vector<store::PlannedNotification> rows;
  rows.reserve(source.size());
  for (std::size_t index = 0; index < source.size(); ++index) rows.push_back(source.row(index));
  return rows;
}

namespace {

// The missed ones among the notifications of `plan` that `consider` accepts.
template <typename Consider>
std::vector<std::string> missed_among(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now, const Consider& consider) {
  std::vector<std::string> ids;
  for (const model::Notification& notification : plan.notifications) {
    if (notification.due >= now) break;  // sorted by due: the rest is still ahead
    if (consider(notification.id) &&
        rule.classify(notification.kind, notification.due, plan.span_of(notification), now) ==
            DueState::missed) {
      ids.push_back(notification.id.to_string());
    }
  }
  return ids;
}

}  // namespace

std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now) {
  return missed_among(plan, rule, now, [](const model::NotificationId&) { return true; });
}

std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now,
                                      std::span<const std::string> candidates) {
  std::set<model::NotificationId> wanted;
  for (const std::string& id : candidates) {
    if (std::optional<model::NotificationId> parsed = model::NotificationId::parse(id))
      wanted.insert(*parsed);
  }
  if (wanted.empty()) return {};
  return missed_among(plan, rule, now,
                      [&](const model::NotificationId& id) { return wanted.contains(id); });
}

}  // namespace kutsu::scheduler
