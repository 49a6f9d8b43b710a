// AsyncOutbox: the outbox as the event loop uses it — the same operations
// and contracts as store::Outbox (outbox.h; the rows of rows.h), asked for
// now and answered later, so that an outbox on a database server never
// holds up the loop. Two implementations: LocalOutbox (SQLite, one node)
// and pg::PgOutbox (PostgreSQL, several nodes).
//
// Every call returns at once; its handler runs later on the loop, never
// inside the call, exactly once, with a Result/Status whose ErrorCode means
// what it means in outbox.h (invalid, not_found, conflict, unavailable,
// failed). Arguments are taken by value, except the PlannedRows of
// async_apply_plan, which the caller keeps alive until its handler runs.
//
// Several nodes: a claim is recorded with its node and a lease; leases
// lapse unless renewed, and a lapsed claim may be taken over by any node.
// Only rows of the series versions a node has loaded are claimed by it.
// The single-node implementation keeps no leases and claims every version.
//
// Threading and lifetimes: the loop's thread only. Destroying an
// implementation abandons what is in flight: handlers not yet run are
// destroyed uncalled.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/outbox.h"
#include "store/planned_rows.h"
#include "store/rows.h"

namespace kutsu::store {

// Series id → content hash of the file a node has loaded and sends from.
using LoadedVersions = std::map<std::string, std::string>;

// One node sharing the outbox, as its last heartbeat wrote it (the status
// API lists them and says whose versions differ).
struct NodeStatus {
  std::string name;
  Instant heartbeat_at;     // on the database server's clock (SQLite: now)
  Instant started_at;       // when the node started serving
  LoadedVersions versions;  // what it sends from

  friend bool operator==(const NodeStatus&, const NodeStatus&) = default;
};

class AsyncOutbox {
 public:
  template <typename T>
  using Handler = std::function<void(Result<T>)>;
  using StatusHandler = std::function<void(Status)>;
  using MissScope = Outbox::MissScope;

  virtual ~AsyncOutbox() = default;

  // --- Planning (Outbox::apply_plan, next_plan_generation) -----------------

  // Outbox::apply_plan; every row inserted, moved, revived or still wanted
  // in pending/retrying is marked as planned from `series_version` (the
  // series file's content hash). Two applies of one series, from this node
  // or another, never run at once; applying the same plan again changes
  // nothing.
  virtual void async_apply_plan(std::string series_id, std::string series_version,
                                const PlannedRows& wanted, Instant now, ApplyOptions options,
                                Handler<PlanDiff> done) = 0;
  virtual void async_next_plan_generation(Handler<PlanGeneration> done) = 0;
  // Outbox::set_generation_in_force, for this node's claims and next_due.
  virtual void set_generation_in_force(PlanGeneration generation) = 0;
  // The versions this node sends from, replacing the previous set: claims
  // and next_due pass over rows planned from any other version.
  virtual void set_loaded_versions(LoadedVersions versions) = 0;

  // --- Delivery (Outbox::claim_due …) ---------------------------------------

  // Outbox::claim_due; each row claimed is leased to this node.
  virtual void async_claim_due(Instant now, std::size_t limit,
                               Handler<std::vector<NotificationRow>> done) = 0;
  virtual void async_next_due(Handler<std::optional<Instant>> done) = 0;
  // Extends the leases of `ids` still claimed by this node (a delivery still
  // in flight); a row taken over meanwhile stays with its new owner.
  virtual void async_renew_leases(std::vector<std::string> ids, StatusHandler done) = 0;
  // Outbox::record_results. The state moves only for rows still `sending`
  // under this node's claim; the others get the attempt in their history.
  virtual void async_record_results(std::vector<RecordedAttempt> attempts,
                                    StatusHandler done) = 0;
  // Calls `on_wake` (on the loop) whenever any node may have made something
  // due earlier than it was — a plan applied, a retry — so that a waiting
  // dispatcher looks at once rather than at its next capped wait. `done`
  // says whether listening started. The single-node outbox never calls
  // on_wake: its own service wakes its dispatcher. Replaces the previous
  // handler.
  virtual void async_listen_for_wakes(std::function<void()> on_wake, StatusHandler done) = 0;
  // Start-up: Outbox::recover_interrupted for the rows this node left
  // `sending`, and those of any node whose lease ran out.
  virtual void async_recover_interrupted(Instant now, Handler<std::size_t> done) = 0;
  // While serving: the same for rows whose lease ran out only (none when
  // there are no leases). Returns how many.
  virtual void async_take_over(Instant now, Handler<std::size_t> done) = 0;
  virtual void async_mark_missed(std::vector<std::string> ids, Instant now, MissScope scope,
                                 Handler<std::size_t> done) = 0;
  virtual void async_overdue_unsent(std::string series_id, Instant now,
                                    Handler<std::vector<std::string>> done) = 0;
  virtual void async_retry(std::string id, Instant now, StatusHandler done) = 0;
  // Outbox::hold_series, for this node.
  virtual void async_hold_series(std::vector<std::string> series_ids, StatusHandler done) = 0;

  // --- Versions (Outbox::put_series_version …) ------------------------------

  virtual void async_put_series_version(SeriesVersion version, StatusHandler done) = 0;
  virtual void async_series_version(std::string series_id,
                                    Handler<std::optional<SeriesVersion>> done) = 0;
  virtual void async_series_versions(Handler<std::vector<SeriesVersion>> done) = 0;
  virtual void async_put_session_version(SessionVersion version, StatusHandler done) = 0;
  virtual void async_session_version(std::string series_id, std::string session_id,
                                     Handler<std::optional<SessionVersion>> done) = 0;
  virtual void async_session_versions(std::string series_id,
                                      Handler<std::vector<SessionVersion>> done) = 0;
  virtual void async_invitation_sent(std::string series_id, Handler<bool> done) = 0;

  // --- Opt-outs (Outbox::opt_out …) -----------------------------------------

  // Outbox::opt_out: recorded (a wider scope stays) and the pending or
  // retrying e-mail rows it stops superseded, in one transaction; every
  // later apply leaves such rows out. How many rows it stopped.
  virtual void async_opt_out(OptOut opt_out, Handler<std::size_t> done) = 0;
  // Outbox::opt_outs: all, or one series', ordered by series and address.
  virtual void async_opt_outs(std::optional<std::string> series_id,
                              Handler<std::vector<OptOut>> done) = 0;
  // Outbox::opt_out_key: made once per outbox, the same for every node.
  virtual void async_opt_out_key(Handler<std::string> done) = 0;

  // --- Queries for the admin API (Outbox's of the same names) ---------------

  virtual void async_state_counts(std::optional<std::string> series_id,
                                  std::optional<std::string> session_id,
                                  Handler<StateCounts> done) = 0;
  virtual void async_kind_state_counts(Handler<std::vector<KindStateCounts>> done) = 0;
  virtual void async_session_state_counts(std::string series_id,
                                          Handler<std::vector<SessionStateCounts>> done) = 0;
  virtual void async_find(std::string id, Handler<std::optional<NotificationDetail>> done) = 0;
  virtual void async_list(NotificationQuery query, Handler<NotificationPage> done) = 0;
  virtual void async_pending_by_slice(std::string series_id, Instant until,
                                      std::chrono::seconds slice,
                                      Handler<std::vector<DueSlice>> done) = 0;
  // Every node sharing the outbox, by name: on PostgreSQL those that wrote
  // a heartbeat (nodes that stopped stay listed with their last one); the
  // single-node outbox lists itself, with the versions set last.
  virtual void async_nodes(Handler<std::vector<NodeStatus>> done) = 0;
};

}  // namespace kutsu::store
