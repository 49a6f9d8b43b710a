// The bridge between a Plan and the outbox: the rows a plan wants stored, and
// which of them the misfire rule gives up on.
//
// NotificationRows shows a plan's notifications (and the update notices
// planned beside it) to Outbox::apply_plan as store rows: ids as 32 hex
// digits, kinds and channels by their interfaces.md names, a reminder's
// offset as its canonical ISO 8601 duration. It is a view: nothing is copied,
// and the notifications must outlive it. planned_rows() builds all the rows
// at once, for tests and tools with small plans.
//
// misfired_ids() applies MisfireRule to every notification of the plan at
// `now` and returns the ids it calls missed; the outbox decides which of
// those are still open (Outbox::mark_missed leaves sent, failed and
// superseded rows alone). It is a pure function; the Plan (and its Series)
// must outlive the call only.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <date/date.h>

#include "scheduler/misfire_rule.h"
#include "scheduler/planner.h"
#include "store/planned_rows.h"
#include "store/rows.h"

namespace kutsu::scheduler {

class NotificationRows final : public store::PlannedRows {
 public:
  // `updates`: notifications planned beside the Plan (session_changes.h).
  explicit NotificationRows(std::span<const model::Notification> plan,
                            std::span<const model::Notification> updates = {})
      : plan_(plan), updates_(updates) {}

  std::size_t size() const override { return plan_.size() + updates_.size(); }
  store::IdDigits id(std::size_t index) const override { return at(index).id.hex(); }
  store::Instant due(std::size_t index) const override { return at(index).due; }
  std::string_view kind(std::size_t index) const override;
  std::string_view channel(std::size_t index) const override;
  std::string_view recipient(std::size_t index) const override { return at(index).recipient; }
  store::PlannedNotification row(std::size_t index) const override;

 private:
  const model::Notification& at(std::size_t index) const {
    return index < plan_.size() ? plan_[index] : updates_[index - plan_.size()];
  }

  std::span<const model::Notification> plan_;
  std::span<const model::Notification> updates_;
};

std::vector<store::PlannedNotification> planned_rows(const Plan& plan);

std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now);
// The same, but only among `candidates` (ids as 32 hex digits; ids of no
// notification of the plan are ignored): at a reload, only the rows the new
// plan just made overdue (store::PlanDiff::overdue) are in question; after a
// downtime, the unsent rows that came due (store::Outbox::overdue_unsent).
std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now,
                                      std::span<const std::string> candidates);

}  // namespace kutsu::scheduler
