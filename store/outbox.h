// Outbox: the durable record of every planned notification and what became
// of it — the truth the daemon restarts from (architecture.md).
//
// One SQLite file (`<state_dir>/kutsu.db`) in WAL mode. Every method that
// changes more than one row does so in one transaction: after a crash (even
// kill -9 half-way) each batch is either fully stored or not at all.
// Delivery is at least once: rows claimed (`sending`) when the process died
// are handed out again after recover_interrupted().
//
// Failures (I/O, a full disk, a locked or corrupt database) come back as
// Error with sqlite's own message; nothing throws. Those about the disk or
// the file have ErrorCode::unavailable and make health() say so until a
// write succeeds again (store_health.h). Refusals say why in a sentence a
// user can read, with a code callers act on instead of the words: invalid
// (an argument the outbox cannot take: a malformed id or cursor), not_found
// (an unknown notification), conflict (a state that forbids it: a
// notification that is not failed or missed, a newer schema). Anything else
// is ErrorCode::failed.
//
// Not thread-safe: an Outbox is one connection and belongs to one thread at a
// time (the daemon gives it to one worker). Several processes may open the
// same file; writers wait for each other up to the busy timeout (5 s).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/planned_rows.h"
#include "store/rows.h"
#include "store/store_health.h"

namespace kutsu::store {

namespace detail {
class Database;
}

// How Outbox::apply_plan writes (see there).
struct ApplyOptions {
  PlanGeneration generation = 0;
  std::size_t rows_per_transaction = 0;  // 0: one transaction
  // The caller's fingerprint of `wanted` (every id and due, and what else
  // its rows carry that a diff compares): equal digests mean equal plans.
  // Empty: no fingerprint, the plan is always compared.
  std::string plan_digest;
};

// The database file inside the daemon's state directory.
std::filesystem::path outbox_file(const std::filesystem::path& state_dir);

class Outbox {
 public:
  // Opens or creates the database at `file` (its folder must exist) and
  // brings its schema up to date. A database written by a newer Kutsu
  // (higher schema version) is refused (conflict), never downgraded.
  static Result<Outbox> open(const std::filesystem::path& file);

  ~Outbox();
  Outbox(Outbox&&) noexcept;
  Outbox& operator=(Outbox&&) noexcept;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  const std::filesystem::path& file() const;
  // Whether the outbox can write now, as the latest calls found.
  const StoreHealth& health() const;
  // From now on this connection notes its failures in `other`'s health too.
  void share_health(const Outbox& other);
  // From now on an apply_plan in transactions of rows_per_transaction on
  // this connection also commits as soon as `other` waits for the write
  // lock: the reload's connection yields to the event loop's claims within
  // a row instead of making them wait out a whole transaction.
  void yield_to(const Outbox& other);
  // The schema version this build writes (PRAGMA user_version).
  static int schema_version();

  // --- Planning ------------------------------------------------------------

  // Makes the stored notifications of `series_id` match `wanted`: inserts
  // new ids (pending), moves the due of pending or retrying rows whose due
  // changed, revives superseded rows that are wanted again, supersedes
  // pending/retrying rows that are not wanted, and leaves
  // sending/sent/failed/missed rows alone. Rows whose recipient opted out
  // (opt_out()) are not wanted, whatever `wanted` says. Ids in `wanted`
  // must be unique and must not belong to another series: a malformed or
  // repeated id is invalid, another series' id a conflict.
  //
  // By default all in one transaction: after a crash the plan is either
  // stored or not. With options.rows_per_transaction, in transactions of
  // that many rows with a pause between them, so that another connection
  // (the dispatcher's claims on the event loop) never waits long for the
  // write lock; a crash half-way leaves part of the plan, which the next
  // apply of the same plan completes. Each change re-checks the row's state
  // in SQL, so a row the other connection claimed or sent meanwhile is left
  // alone. The rows inserted, moved or revived get options.generation.
  //
  // The outbox keeps the options.plan_digest of the last apply that
  // completed for the series (in its last transaction). An apply whose
  // digest equals it reads and writes no row and says so
  // (PlanDiff::same_plan): nothing but another plan, an opt-out or a
  // delivery changes the rows a diff looks at, and neither of the last two
  // makes a diff of the same plan change anything.
  //
  // Memory: 24 bytes per wanted row and 40 per stored row of the series for
  // the call's length, beside SQLite's page cache; rows are built only for
  // the ids inserted (planned_rows.h).
  Result<PlanDiff> apply_plan(std::string_view series_id, const PlannedRows& wanted, Instant now,
                              ApplyOptions options);
  Result<PlanDiff> apply_plan(std::string_view series_id, const PlannedRows& wanted,
                              Instant now) {
    return apply_plan(series_id, wanted, now, ApplyOptions{});
  }
  // The same for rows already built.
  Result<PlanDiff> apply_plan(std::string_view series_id,
                              std::span<const PlannedNotification> wanted, Instant now,
                              ApplyOptions options = {});

  // --- Plan generations ------------------------------------------------------

  // A generation higher than every one handed out before, for the rows a
  // reload writes while the previous plan is still in force.
  Result<PlanGeneration> next_plan_generation();
  // claim_due and next_due on this connection skip rows of a generation
  // later than `generation` (until this is called: none are skipped).
  void set_generation_in_force(PlanGeneration generation) { in_force_ = generation; }

  // --- Delivery ------------------------------------------------------------

  // Atomically marks `sending` and returns up to `limit` notifications that
  // are pending with due ≤ now or retrying with next_attempt_at ≤ now,
  // earliest due first (ties by id).
  Result<std::vector<NotificationRow>> claim_due(Instant now, std::size_t limit);

  // The earliest moment something becomes claimable: the least due among
  // pending rows and next_attempt_at among retrying ones; none when idle.
  Result<std::optional<Instant>> next_due();

  // Holds back every notification of `series_ids`, replacing the previous
  // hold (empty: nothing held): claim_due does not hand them out and
  // next_due does not wait for them; planning, the admin queries and retry
  // treat them as before. The daemon holds a series whose file it cannot
  // load, so that its notifications wait for the file to be fixed instead of
  // failing for want of a plan. The hold lives in this connection only.
  Status hold_series(std::span<const std::string> series_ids);

  // Records a batch of attempts in one transaction (see RecordedAttempt for
  // the state each leads to) and appends every attempt to the history. A
  // row that is no longer `sending` (retried or missed meanwhile) gets the
  // attempt in its history but keeps its state. An unknown id (not_found),
  // or an attempt whose fields contradict its outcome (invalid), fails the
  // whole batch and nothing is recorded.
  Status record_results(std::span<const RecordedAttempt> attempts);

  // Start-up: rows left `sending` by a process that died go back to be sent
  // again — to `retrying` (due at once) if they had been attempted before,
  // otherwise to `pending`. Returns how many.
  Result<std::size_t> recover_interrupted(Instant now);

  // Which rows mark_missed may touch. After a downtime every unsent row is
  // fair game (`unsent`: pending, retrying or sending); while serving, only
  // rows nobody has tried yet (`untried`: pending) — a row in its retry
  // rounds is the backoff's business, not the misfire rule's.
  enum class MissScope { unsent, untried };

  // Marks the rows of `ids` within `scope` `missed` (the misfire rule said
  // they are too late). Other states and unknown ids are left alone. Returns
  // how many changed.
  Result<std::size_t> mark_missed(std::span<const std::string> ids, Instant now,
                                  MissScope scope = MissScope::unsent);
  // The ids of the series' unsent rows (pending, retrying or sending) due
  // before `now`, in id order: after a downtime, the only rows the misfire
  // rule can call missed. Reads the overdue rows, not the series.
  Result<std::vector<std::string>> overdue_unsent(std::string_view series_id, Instant now);

  // Admin: a failed or missed notification becomes pending again with a
  // fresh round of attempts. Any other state is a conflict, with a message
  // saying which state it is in; an unknown id is not_found.
  Status retry(std::string_view id, Instant now);

  // --- Versions --------------------------------------------------------------

  Status put_series_version(const SeriesVersion& version);
  Result<std::optional<SeriesVersion>> series_version(std::string_view series_id);
  Result<std::vector<SeriesVersion>> series_versions();  // ordered by series id

  Status put_session_version(const SessionVersion& version);
  Result<std::optional<SessionVersion>> session_version(std::string_view series_id,
                                                        std::string_view session_id);
  Result<std::vector<SessionVersion>> session_versions(std::string_view series_id);
  // Whether the series' invitation went out to anyone (a sent notification
  // with no session, or one being sent: its text already has the sessions
  // as they were): from then on, a session that moves needs update notices
  // and one deleted needs cancellations. One index lookup, however large
  // the series.
  Result<bool> invitation_sent(std::string_view series_id);

  // --- Opt-outs ---------------------------------------------------------------

  // Records that opt_out.recipient wants no more of opt_out.scope from the
  // series (a wider wish stays: `all` is never narrowed to `reminders`), and
  // in the same transaction supersedes the e-mail rows it stops that are
  // still pending or retrying (last_result "opted out"). Every later
  // apply_plan leaves such rows out. Returns how many rows it stopped.
  Result<std::size_t> opt_out(const OptOut& opt_out);
  // Every opt-out, or those of one series, ordered by series and address.
  Result<std::vector<OptOut>> opt_outs(std::optional<std::string_view> series_id = std::nullopt);
  // The key that signs opt-out links: 64 hex digits made from the kernel's
  // random source on first use and kept in the outbox, so that every
  // process sharing it signs alike and links survive restarts.
  Result<std::string> opt_out_key();

  // --- Queries for the admin API ---------------------------------------------

  // Counts by state overall, for one series, or for one session of a series
  // (a session without its series is invalid).
  Result<StateCounts> state_counts(std::optional<std::string_view> series_id = std::nullopt,
                                   std::optional<std::string_view> session_id = std::nullopt);
  // Counts by kind ("invitation", "reminder", …) over every series, ordered
  // by kind; kinds with no notification are absent.
  Result<std::vector<KindStateCounts>> kind_state_counts();
  // Counts for every session of a series (invitations under no session),
  // ordered by session id with invitations first.
  Result<std::vector<SessionStateCounts>> session_state_counts(std::string_view series_id);

  // One notification with its attempts; none for an unknown id.
  Result<std::optional<NotificationDetail>> find(std::string_view id);

  // A page of notifications matching the query, ordered by (due, id), or by
  // (due, id) descending for ListOrder::newest. Paging by cursor is stable:
  // rows inserted later appear on a later page if they sort after the cursor
  // and are never repeated. A malformed cursor or a limit outside 1…1000 is
  // invalid.
  Result<NotificationPage> list(const NotificationQuery& query);

  // What a series still has to send before `until`, counted in slices of
  // `slice` (1 s…1 day) since the Unix epoch: pending rows by due, retrying
  // rows by their next attempt. Only slices with rows, in time order. One
  // grouped query over the series' covering index, so the rows themselves
  // never come into memory however many there are; overdue rows are in the
  // slices they were due in.
  Result<std::vector<DueSlice>> pending_by_slice(std::string_view series_id, Instant until,
                                                 std::chrono::seconds slice);

 private:
  explicit Outbox(std::unique_ptr<detail::Database> db);

  // " AND …" for claim_due and next_due: held series, later generations.
  std::string claimable_filter() const;

  std::unique_ptr<detail::Database> db_;
  bool holding_ = false;  // temp.held_series has rows: claim and next_due filter by it
  std::optional<PlanGeneration> in_force_;
};

}  // namespace kutsu::store
