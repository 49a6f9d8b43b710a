// The bridge between a Plan and the outbox: the rows a plan wants stored, and
// which of them the misfire rule gives up on.
//
// planned_rows() maps each Notification of a valid Plan to the plain
// PlannedNotification the store keeps (ids as 32 hex digits, kinds and
// channels by their interfaces.md names, a reminder's offset as its
// canonical ISO 8601 duration). misfired_ids() applies MisfireRule to every
// notification of the plan at `now` and returns the ids it calls missed;
// the outbox decides which of those are still open (Outbox::mark_missed
// leaves sent, failed and superseded rows alone).
//
// Both are pure functions; the Plan (and its Series) must outlive the call only.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <date/date.h>

#include "scheduler/misfire_rule.h"
#include "scheduler/planner.h"
#include "store/rows.h"

namespace kutsu::scheduler {

std::vector<store::PlannedNotification> planned_rows(const Plan& plan);
// The same for notifications planned beside a Plan (updates, session_changes.h).
std::vector<store::PlannedNotification> planned_rows(std::span<const Notification> notifications);

std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now);
// The same, but only among `candidates` (ids as 32 hex digits; ids of no
// notification of the plan are ignored): at a reload, only the rows the new
// plan just made overdue (store::PlanDiff::overdue) are in question.
std::vector<std::string> misfired_ids(const Plan& plan, const MisfireRule& rule,
                                      date::sys_seconds now,
                                      std::span<const std::string> candidates);

}  // namespace kutsu::scheduler
