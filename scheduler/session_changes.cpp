#include "scheduler/session_changes.h"

#include <algorithm>

#include "scheduler/notification_id.h"

namespace kutsu::scheduler {
namespace {

// Everyone the invitation went to, as the planner's invitations name them.
std::vector<const model::Notification*> invitations_of(const Plan& plan) {
  std::vector<const model::Notification*> invitations;
  for (const model::Notification& notification : plan.notifications) {
    if (notification.kind == model::NotificationKind::invitation)
      invitations.push_back(&notification);
  }
  return invitations;
}

}  // namespace

SessionChanges compare_sessions(const Plan& plan, std::span<const store::SessionVersion> stored,
                                bool invitation_sent) {
  SessionChanges changes;
  const agenda::Series& series = *plan.series;
  const std::vector<const model::Notification*> invitations = invitations_of(plan);
  NotificationIdHasher hasher;

  for (const agenda::Session& session : series.sessions) {
    const model::SessionTimes& times = plan.times_of(session);
    store::SessionVersion now{series.id, session.id, times.start, times.end, 0, session.cancelled};
    auto previous = std::find_if(stored.begin(), stored.end(), [&](const auto& version) {
      return version.session_id == session.id;
    });
    if (previous == stored.end()) {
      changes.changed.push_back(now);
    } else {
      now.sequence = previous->sequence;
      now.previous_start = previous->previous_start;
      now.previous_end = previous->previous_end;
      const bool moved = previous->start != now.start || previous->end != now.end;
      if (moved || previous->cancelled != now.cancelled) {
        if (invitation_sent) {
          ++now.sequence;
          if (moved) {
            now.previous_start = previous->start;
            now.previous_end = previous->end;
          }
        }
        changes.changed.push_back(now);
      }
    }
    changes.sequences[session.id] = now.sequence;
    if (now.previous_start && now.previous_end) {
      changes.previous_times[session.id] = model::TimeSpan{*now.previous_start, *now.previous_end};
    }
    if (session.cancelled || now.sequence == 0 || invitations.empty()) continue;

    for (const model::Notification* invitation : invitations) {
      model::Notification update = *invitation;
      update.kind = model::NotificationKind::update;
      update.session = &session;
      update.session_start = times.start;
      update.due = invitation->due + std::chrono::seconds{1};
      update.id = hasher.id_of(NotificationIdentity{series.id,
                                                    session.id,
                                                    model::NotificationKind::update,
                                                    {},
                                                    update.channel,
                                                    update.recipient,
                                                    times.start});
      changes.updates.push_back(update);
    }
  }
  return changes;
}

}  // namespace kutsu::scheduler
