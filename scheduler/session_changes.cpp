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

// An update or cancellation of `session` for one person the invitation went
// to, with the planner's kind of id (so one written by hand later is the same).
model::Notification notice_to(const model::Notification& invitation, model::NotificationKind kind,
                              const agenda::Session& session, date::sys_seconds session_start,
                              date::sys_seconds due, NotificationIdHasher& hasher) {
  model::Notification notice = invitation;
  notice.kind = kind;
  notice.session = &session;
  notice.session_start = session_start;
  notice.due = due;
  notice.id = hasher.id_of(NotificationIdentity{invitation.series->id, session.id, kind, {},
                                                notice.channel, notice.recipient, session_start});
  return notice;
}

// An update or cancellation is due when the reload that found the change
// ran; never before its invitation (which went out already), and a second
// after it for a change stored before the outbox kept that moment.
date::sys_seconds notice_due(const model::Notification& invitation,
                             std::optional<date::sys_seconds> changed_at) {
  const date::sys_seconds after_invitation = invitation.due + std::chrono::seconds{1};
  return changed_at ? std::max(*changed_at, after_invitation) : after_invitation;
}

// The recurring session an occurrence id "<id>-YYYYMMDD" belongs to, if the
// series still has it: its cancellation is then that date of its event.
std::optional<agenda::OccurrenceOf> occurrence_of(const agenda::Series& series,
                                                  std::string_view session_id,
                                                  const date::time_zone& zone, date::sys_seconds start) {
  for (std::size_t i = 0; i < series.recurring.size(); ++i) {
    const std::string& id = series.recurring[i].id;
    if (session_id.size() != id.size() + 9 || !session_id.starts_with(id) ||
        session_id[id.size()] != '-') {
      continue;
    }
    const date::local_days planned =
        date::floor<date::days>(zone.to_local(start));  // as people were told it
    if (agenda::occurrence_id(id, planned) == session_id) {
      return agenda::OccurrenceOf{i, planned, false};
    }
  }
  return std::nullopt;
}

void cancel_removed(const Plan& plan, std::span<const store::SessionVersion> stored,
                    bool invitation_sent, const ChangeClock& clock,
                    const std::vector<const model::Notification*>& invitations,
                    SessionChanges& changes) {
  const agenda::Series& series = *plan.series;
  std::vector<const store::SessionVersion*> gone;
  for (const store::SessionVersion& version : stored) {
    if (version.cancelled || !invitation_sent) continue;
    const bool in_file = std::any_of(series.sessions.begin(), series.sessions.end(),
                                     [&](const agenda::Session& s) { return s.id == version.session_id; });
    if (!in_file) gone.push_back(&version);
  }
  // Filled whole before any cancellation points into it.
  changes.removed.reserve(gone.size());
  for (const store::SessionVersion* version : gone) {
    store::SessionVersion kept = *version;
    if (!kept.removed_at) {
      kept.removed_at = clock.now;
      changes.changed.push_back(kept);
    }
    agenda::Session& session = changes.removed.emplace_back();
    session.id = kept.session_id;
    session.title = kept.title.empty() ? kept.session_id : kept.title;
    const auto local = [&](date::sys_seconds instant) {
      return agenda::WrittenTime{series.zone->to_local(instant), std::nullopt, {}};
    };
    session.start = local(kept.start);
    session.end = local(kept.end);
    session.cancelled = true;
    session.occurrence = occurrence_of(series, kept.session_id, *series.zone, kept.start);
    // The CANCEL must outrank what people have: the last SEQUENCE sent.
    changes.sequences[kept.session_id] = kept.sequence + 1;
  }
  NotificationIdHasher hasher;
  for (std::size_t i = 0; i < gone.size(); ++i) {
    const agenda::Session& session = changes.removed[i];
    const store::SessionVersion& version = *gone[i];
    const date::sys_seconds removed_at = version.removed_at.value_or(clock.now);
    for (const model::Notification* invitation : invitations) {
      changes.cancellations.push_back(notice_to(*invitation, model::NotificationKind::cancellation,
                                                session, version.start,
                                                removed_at + clock.cancel_delay, hasher));
    }
  }
}

}  // namespace

bool date_cancellations(Plan& plan, const SessionChanges& changes) {
  if (changes.cancelled_at.empty()) return false;
  bool dated = false;
  for (model::Notification& notification : plan.notifications) {
    if (notification.kind != model::NotificationKind::cancellation) continue;
    auto at = changes.cancelled_at.find(notification.session->id);
    if (at == changes.cancelled_at.end()) continue;
    const date::sys_seconds due = std::max(notification.due, at->second);
    if (due == notification.due) continue;
    notification.due = due;
    dated = true;
  }
  if (dated) {
    std::sort(plan.notifications.begin(), plan.notifications.end(),
              [](const model::Notification& a, const model::Notification& b) {
                return a.due != b.due ? a.due < b.due : a.id < b.id;
              });
  }
  return dated;
}

SessionChanges compare_sessions(const Plan& plan, std::span<const store::SessionVersion> stored,
                                bool invitation_sent, ChangeClock clock) {
  SessionChanges changes;
  const agenda::Series& series = *plan.series;
  const std::vector<const model::Notification*> invitations = invitations_of(plan);
  NotificationIdHasher hasher;

  for (const agenda::Session& session : series.sessions) {
    const model::SessionTimes& times = plan.times_of(session);
    store::SessionVersion now{series.id, session.id, times.start, times.end, 0, session.cancelled};
    now.title = session.title;
    auto previous = std::find_if(stored.begin(), stored.end(), [&](const auto& version) {
      return version.session_id == session.id;
    });
    if (previous == stored.end()) {
      changes.changed.push_back(now);
    } else {
      now.sequence = previous->sequence;
      now.previous_start = previous->previous_start;
      now.previous_end = previous->previous_end;
      now.changed_at = previous->changed_at;
      now.title = previous->title.empty() ? session.title : previous->title;
      const bool moved = previous->start != now.start || previous->end != now.end;
      // Back in the file: undone within the delay, nobody heard of it; after
      // it, the cancellation went out and people need the session again.
      const bool restored = previous->removed_at.has_value();
      const bool cancellation_due =
          restored && *previous->removed_at + clock.cancel_delay <= clock.now;
      if (restored && !moved && previous->cancelled == now.cancelled) {
        if (cancellation_due && invitation_sent) {
          ++now.sequence;
          now.changed_at = clock.now;
        }
        changes.changed.push_back(now);
      } else if (moved || previous->cancelled != now.cancelled) {
        if (invitation_sent) {
          ++now.sequence;
          now.changed_at = clock.now;
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
    if (now.sequence == 0 || invitations.empty()) continue;
    if (session.cancelled) {
      if (now.changed_at) changes.cancelled_at[session.id] = *now.changed_at;
      continue;
    }

    for (const model::Notification* invitation : invitations) {
      changes.updates.push_back(notice_to(*invitation, model::NotificationKind::update, session,
                                          times.start, notice_due(*invitation, now.changed_at),
                                          hasher));
    }
  }
  cancel_removed(plan, stored, invitation_sent, clock, invitations, changes);
  return changes;
}

}  // namespace kutsu::scheduler
