#include "scheduler/misfire_rule.h"

namespace kutsu::scheduler {

std::string_view to_string(DueState state) {
  switch (state) {
    case DueState::pending:
      return "pending";
    case DueState::overdue:
      return "overdue";
    case DueState::missed:
      return "missed";
  }
  return "?";
}

DueState MisfireRule::classify(model::NotificationKind kind, date::sys_seconds due,
                               model::TimeSpan about, date::sys_seconds now) const {
  if (now <= due) return DueState::pending;
  if (kind == model::NotificationKind::reminder) {
    bool within_grace = now - due <= grace;
    return within_grace && now < about.start ? DueState::overdue : DueState::missed;
  }
  return now < about.end ? DueState::overdue : DueState::missed;
}

}  // namespace kutsu::scheduler
