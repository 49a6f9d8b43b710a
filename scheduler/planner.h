// The planner: one Series → every notification it produces, with
// deterministic ids (notification_id.h), sorted by due time then id.
//
// What is planned (agenda-format.md, interfaces.md):
//  - With an [invitation]: one invitation per audience participant by e-mail
//    and one per webhook endpoint of the series, due at `send_at` or the
//    first session's start minus `before` (model/time_rules.h). It covers the
//    series, so it has no session.
//  - For every session that is not cancelled, for each of its reminders
//    (Series::reminders_for), for each channel of the reminder (its own
//    `channels`, or by default e-mail if the series has participants and
//    webhook if it lists endpoints), one reminder per recipient: each audience
//    participant for e-mail, each endpoint for webhook.
//  - For a cancelled session: no reminders, and one cancellation for
//    everyone who gets the invitation (same recipients and channels), due one
//    second after the invitation, so that everything ordering by due time
//    (this plan, the outbox) sends the invitation first and the cancellation
//    right after it. Once the invitation has gone out, that moment is past
//    and the misfire rule sends the cancellation at once. A series without
//    an invitation invited nobody, so it gets no cancellations: people who
//    were never told about a session are not told it is off.
//  Updates are not planned here: they come from comparing a new plan with
//  what the outbox already sent.
//
// What is checked (reported as Diagnostics at the place in the series file):
// every written time that falls in a DST gap or fold (model/series_times.h), a
// reminder that falls at or after its session's start, an invitation due at
// or after the first session's start, and a reminder or `[invitation]
// before` that lands outside the supported years (agenda/time_range.h).
//
// Cost: a million notifications take well under a second and about 100 MB;
// each session's times are converted once and no string is allocated per
// notification. Notifications point into `series`, which must outlive the
// Plan. Thread-safe as long as each call gets its own Series or only reads it.
#pragma once

#include <vector>

#include "agenda/series.h"
#include "base/diagnostic.h"
#include "model/notification.h"
#include "model/series_times.h"

namespace kutsu::scheduler {

struct Plan {
  const agenda::Series* series = nullptr;
  model::SeriesTimes times;
  std::vector<model::Notification> notifications;  // sorted by due, then id
  // Non-empty: the series is invalid and the plan must not be acted on.
  // Sorted by line and column.
  Diagnostics diagnostics;

  const model::SessionTimes& times_of(const agenda::Session& session) const {
    return times.sessions[static_cast<std::size_t>(&session - series->sessions.data())];
  }
  // What a notification is about, for the misfire rule: its session, or the
  // whole series for an invitation.
  model::TimeSpan span_of(const model::Notification& notification) const {
    if (notification.session == nullptr) return times.series_span;
    const model::SessionTimes& session = times_of(*notification.session);
    return model::TimeSpan{session.start, session.end};
  }
};

// Precondition: `series` came from the parser without diagnostics (zone set,
// at least one session, ids valid).
Plan plan_series(const agenda::Series& series);

}  // namespace kutsu::scheduler
