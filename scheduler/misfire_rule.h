// MisfireRule: what happens to a notification whose due time has passed
// (interfaces.md, "Misfire rule"). Used by `kutsu plan --now` to show what a
// daemon would do at that instant, and by the daemon after a restart.
//
//  - due now or later: pending.
//  - a reminder: still sent ("overdue") if it is at most `grace` late and
//    its session has not started; otherwise missed (a reminder after the
//    start, or hours late, helps nobody).
//  - an invitation, update or cancellation: still sent late as long as what
//    it is about has not ended (its session; for an invitation the whole
//    series, i.e. until the last session ends); otherwise missed.
//
// A pure value type; thread-safe.
#pragma once

#include <chrono>
#include <string_view>

#include <date/date.h>

#include "model/notification.h"
#include "model/series_times.h"

namespace kutsu::scheduler {

enum class DueState { pending, overdue, missed };
std::string_view to_string(DueState state);

struct MisfireRule {
  std::chrono::seconds grace = std::chrono::minutes{15};  // `misfire_grace`, default PT15M

  // `about` is the notification's session, or the series span for an invitation.
  DueState classify(model::NotificationKind kind, date::sys_seconds due, model::TimeSpan about,
                    date::sys_seconds now) const;
};

}  // namespace kutsu::scheduler
