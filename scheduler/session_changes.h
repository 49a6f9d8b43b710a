// SessionChanges: what a re-planned series means for people who were already
// invited (interfaces.md, "Notification identity and life").
//
// The outbox keeps the last published form of every session (SessionVersion:
// start, end, cancelled, iCalendar SEQUENCE). Comparing a new Plan with it:
//  - a session seen for the first time is recorded with SEQUENCE 0;
//  - a session that moved, or was cancelled, after the invitation went out
//    gets SEQUENCE + 1 (calendar clients ignore a change that does not raise
//    it), and a move keeps the times people were told before, for the update
//    notice to say what changed; before the invitation, nobody was told, so
//    SEQUENCE stays;
//  - every session whose SEQUENCE is above 0 and that is not cancelled wants
//    an `update` for everyone invited, computed for its current start. Its id
//    is deterministic, so re-planning the same files wants the same updates
//    (the outbox keeps the ones already sent), and a second move gives new
//    ones. Cancellations come from the planner itself.
// Updates are due when the reload that raised the SEQUENCE ran (kept in the
// session version's changed_at, so that later reloads plan the same due):
// the moment the change was planned, which is after the invitation went
// out, so they go out at once. A version stored before the outbox kept that
// moment gives the old due, one second after the invitation. The planner's
// cancellations of a session cancelled in the file are due one second after
// the invitation; date_cancellations() moves them to that reload too.
//
// A session gone from the file after its invitation went out (an organiser
// deleted the block, or a date left a council calendar) is cancelled:
// `removed` holds it as a cancelled session with what people were told of
// it (title, times; for an occurrence, its recurring session), and
// `cancellations` one for everyone invited, due `cancel_delay` after the
// reload that first found it gone (kept in its version's removed_at), so
// that a deletion undone within the delay sends nothing: the next plan has
// no such cancellation and the outbox supersedes it. Restored after the
// delay, when the cancellation has gone out, it gets SEQUENCE + 1 and an
// update, like a moved session. Cancellation ids are the planner's, so
// writing `cancelled = true` afterwards does not cancel twice.
//
// A pure function; the returned Notifications point into plan.series, which
// must outlive them.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "model/notification.h"
#include "scheduler/planner.h"
#include "store/rows.h"

namespace kutsu::scheduler {

struct SessionChanges {
  std::vector<store::SessionVersion> changed;         // to store: new or different from the outbox
  std::vector<model::Notification> updates;           // wanted update notifications
  std::map<std::string, int, std::less<>> sequences;  // session id → SEQUENCE to render with
  // Session id → where a moved session was before its last move (the update
  // notice's "previous time"); only sessions that moved after the invitation.
  std::map<std::string, model::TimeSpan, std::less<>> previous_times;
  // Sessions gone from the file, as cancelled sessions, and their
  // cancellations, which point into `removed`: move, never copy, both.
  std::vector<agenda::Session> removed;
  std::vector<model::Notification> cancellations;
  // Session id → when a reload found it cancelled (`cancelled = true`) after
  // the invitation went out: its cancellations are due then.
  std::map<std::string, date::sys_seconds, std::less<>> cancelled_at;
};

struct ChangeClock {
  date::sys_seconds now;                               // the reload
  std::chrono::seconds cancel_delay{std::chrono::minutes{10}};
};

SessionChanges compare_sessions(const Plan& plan, std::span<const store::SessionVersion> stored,
                                bool invitation_sent, ChangeClock clock = {});

// Moves the planner's cancellations of the sessions in changes.cancelled_at
// to that moment (never earlier than planned) and sorts the plan again by
// due and id; whether any moved.
bool date_cancellations(Plan& plan, const SessionChanges& changes);

}  // namespace kutsu::scheduler
