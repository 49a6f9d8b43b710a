// The plain rows the outbox stores and returns. They know nothing of the
// agenda model: the scheduler maps its Notifications to PlannedNotification
// and reads NotificationRow back. Times are whole UTC seconds.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/attempt_result.h"
#include "store/notification_state.h"

namespace kutsu::store {

using Instant = std::chrono::sys_seconds;

// Which reload wrote a row's plan (Outbox::next_plan_generation); 0 for
// rows from before generations existed.
using PlanGeneration = std::int64_t;

// A notification the planner wants to exist. Its series is given beside the
// batch (Outbox::apply_plan), since a plan is always one series.
struct PlannedNotification {
  std::string id;                         // 32 lowercase hex digits, unique across series
  std::optional<std::string> session_id;  // none for an invitation (it covers the series)
  std::string kind;                       // invitation | reminder | update | cancellation
  std::optional<std::string> offset;      // a reminder's "before", e.g. "P1D"
  std::string channel;                    // email | webhook
  std::string recipient;                  // an address, or a webhook endpoint's name
  Instant due;
  Instant session_start;  // part of the identity; epoch for invitations
};

// A participant's wish to hear less from one series (GET/POST /u/{value},
// interfaces.md): `reminders` stops the reminders, `all` every e-mail
// (invitations, updates and cancellations too). It outlives reloads and
// edits of the participants file: the planner's rows for that address are
// left out of every later plan (Outbox::apply_plan).
enum class OptOutScope { reminders, all };

struct OptOut {
  std::string series_id;
  std::string recipient;  // the e-mail address, compared without regard to ASCII case
  OptOutScope scope = OptOutScope::reminders;
  Instant at;

  friend bool operator==(const OptOut&, const OptOut&) = default;
};

std::string_view to_string(OptOutScope scope);
std::optional<OptOutScope> parse_opt_out_scope(std::string_view text);

// A notification as stored, with where it is in its life.
struct NotificationRow {
  std::string id;
  std::string series_id;
  std::optional<std::string> session_id;
  std::string kind;
  std::optional<std::string> offset;
  std::string channel;
  std::string recipient;
  Instant due;
  Instant session_start;
  NotificationState state = NotificationState::pending;
  int attempts = 0;                        // attempts in the current round (retry() resets it)
  std::optional<Instant> next_attempt_at;  // set while retrying
  std::optional<std::string> last_result;  // e.g. "retry 451 mailbox busy"
  Instant created_at;
  Instant updated_at;
  std::optional<Instant> sent_at;

  friend bool operator==(const NotificationRow&, const NotificationRow&) = default;
};

// One delivery attempt, as appended to the history. The history keeps the
// outcome, code and detail; result.retry_after is not stored (it has done
// its work in next_attempt_at), so it is empty in what the outbox returns.
struct Attempt {
  Instant at;
  AttemptResult result;

  friend bool operator==(const Attempt&, const Attempt&) = default;
};

// An attempt at one claimed notification, to be recorded (record_results),
// with the state its outcome leads to:
//   sent      → state sent, sent_at = at
//   retry     → state retrying until next_attempt_at; when next_attempt_at is
//               empty the caller has given up (attempts exhausted) → failed
//   permanent → failed (next_attempt_at must be empty)
struct RecordedAttempt {
  std::string id;
  Attempt attempt;
  std::optional<Instant> next_attempt_at;
};

// What apply_plan changed. Every wanted row lands in exactly one count.
struct PlanDiff {
  std::size_t inserted = 0;     // new ids
  std::size_t rescheduled = 0;  // pending/retrying with the same id and a new due
  std::size_t revived = 0;      // superseded earlier, wanted again → pending
  std::size_t unchanged = 0;    // pending/retrying, same due
  std::size_t kept = 0;         // already sending/sent/failed/missed: left alone
  std::size_t opted_out = 0;    // left out: their recipient opted out (OptOut)
  // Rows that were pending or retrying, are no longer wanted and are now
  // superseded, as they were before (the scheduler plans updates from them).
  std::vector<NotificationRow> superseded;
  // Pending rows this call inserted, revived or moved to a due already
  // before `now`: the only rows of a series in service that the misfire rule
  // has to look at.
  std::vector<std::string> overdue;
  // ApplyOptions::plan_digest named the plan last applied in full: nothing
  // was compared or written, and every count above is zero.
  bool same_plan = false;
};

// A notification and every attempt made for it, oldest first.
struct NotificationDetail {
  NotificationRow row;
  std::vector<Attempt> attempts;
};

// The last load of one series file, for the status API.
struct SeriesVersion {
  std::string series_id;
  std::string content_hash;
  Instant loaded_at;
  bool ok = true;
  std::string errors;  // the diagnostics, one per line; empty when ok

  friend bool operator==(const SeriesVersion&, const SeriesVersion&) = default;
};

// The last published form of a session, so that a change can be detected and
// announced with SEQUENCE + 1 in its calendar parts.
struct SessionVersion {
  std::string series_id;
  std::string session_id;
  Instant start;
  Instant end;
  int sequence = 0;
  bool cancelled = false;
  // Where the session was before its last move after the invitation went
  // out: what the update notices tell people it is no longer. Unset until
  // it moves.
  std::optional<Instant> previous_start;
  std::optional<Instant> previous_end;
  // The title people were told, for a cancellation notice once the session
  // is gone from the file.
  std::string title;
  // When a reload first found the session gone from its file after its
  // invitation went out; its cancellations are due a `cancel_delay` later.
  // Unset while the file has it.
  std::optional<Instant> removed_at;
  // When the reload that raised `sequence` to its value ran: the change
  // people are told about was planned then, so its update (or cancellation)
  // is due then. Unset while sequence is 0, and for versions stored before
  // schema version 6 (their notices stay due a second after the invitation).
  std::optional<Instant> changed_at;

  friend bool operator==(const SessionVersion&, const SessionVersion&) = default;
};

// Counts for one session of a series; session_id is empty for invitations.
struct SessionStateCounts {
  std::optional<std::string> session_id;
  StateCounts counts;
};

// Counts for one kind of notification over every series.
struct KindStateCounts {
  std::string kind;
  StateCounts counts;
};

// The order of a listing: (due, id), soonest first, or its reverse, newest
// first ("recently sent"). Both walk the same indexes, one backwards.
enum class ListOrder { due, newest };

// A filter for listing; every field is optional. `after` is the opaque cursor
// of the previous page (NotificationPage::next_cursor) of a listing in the
// same order: the rows after it in that order follow.
struct NotificationQuery {
  std::optional<std::string> series_id;
  std::optional<std::string> session_id;
  std::optional<NotificationState> state;
  std::size_t limit = 100;  // 1…1000
  std::optional<std::string> after;
  ListOrder order = ListOrder::due;
};

struct NotificationPage {
  std::vector<NotificationRow> rows;       // ordered by (due, id), or its reverse for newest
  std::optional<std::string> next_cursor;  // set iff more rows may follow
};

// How many notifications are still to send (pending, or retrying at their
// next attempt) in one slice of time: `count` rows fall in [start, start +
// slice). See Outbox::pending_by_slice.
struct DueSlice {
  Instant start;
  std::int64_t count = 0;

  friend bool operator==(const DueSlice&, const DueSlice&) = default;
};

}  // namespace kutsu::store
