// PgOutbox: the outbox on PostgreSQL (AsyncOutbox), shared by several nodes
// (interfaces.md, "Several daemons, one PostgreSQL database"), on two
// PgConnections the caller opened and migrated (pg_schema.h).
//
// - Claims are one statement: the due rows of versions this node has
//   loaded, earliest first, locked with FOR UPDATE SKIP LOCKED (two nodes
//   never get the same row) and marked `sending` with this node's name and a
//   lease that ends `lease` after the server's clock_timestamp(): every
//   node reads leases on the one clock, so a node whose clock runs fast
//   cannot take over a live node's rows.
// - async_renew_leases extends the leases of rows still claimed by this
//   node; async_take_over (any node) sends rows whose lease ran out back to
//   pending or retrying, the rule of Outbox::recover_interrupted; a result
//   recorded for such a row afterwards goes into its history only.
// - async_apply_plan is one transaction on `plan_connection` under the
//   transaction-level advisory lock kPlanLock, so two nodes never apply at
//   once and the second finds the first's rows; the plan travels as arrays
//   (a temporary table filled rows_per_statement rows at a time), never a
//   round trip per row. ApplyOptions::rows_per_transaction is not needed
//   (claims skip the rows the apply has locked) and is ignored. Applies
//   asked for together run one after another. Opt-outs are read inside the
//   transaction and filtered as SQLite's apply does (OptOutFilter).
// - async_opt_out records the opt-out and stops its rows in one statement.
// - Everything else is one statement on `connection`, in the order asked
//   (async_find: two); the admin queries answer as SQLite's do.
// - Wake-ups: an apply that inserted, moved or revived rows, and a retry,
//   NOTIFY kWakeChannel in their own transaction (so only once committed);
//   async_listen_for_wakes LISTENs on `connection`, and every node
//   (this one too) hears it. A connection lost and opened again must be
//   listened on again.
// - Held series, the generation in force and the loaded versions live in
//   this object (set_…, async_hold_series); async_heartbeat writes this
//   node and its loaded versions to nodes/node_series for the status API.
//
// Every statement has a timeout (query_timeout, plan_timeout for an apply's
// statements); a failure is the connection's (pg_connection.h): unavailable
// for the connection, invalid or conflict for the SQL.
//
// Threading and lifetimes: owned by someone else (the service), the loop's
// thread only; the io_context and both connections must outlive it.
// Destroying it abandons what is in flight: handlers are destroyed uncalled
// (each holds a weak_ptr to `life_`), and an apply in flight is rolled back
// (a ROLLBACK queued on plan_connection lets go of its lock).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/async_outbox.h"
#include "store/pg/pg_connection.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::pg {

// The NOTIFY channel of wake-ups: something may be due earlier.
inline constexpr std::string_view kWakeChannel = "kutsu_due";

struct PgOutboxSettings {
  std::string node;                           // [store] node: this daemon's name
  std::chrono::milliseconds lease{60'000};    // [store] lease
  PgConnection::Timeout query_timeout{5'000};
  PgConnection::Timeout plan_timeout{120'000};  // each statement of an apply, the lock wait included
  std::size_t rows_per_statement = 10'000;      // plan rows sent per statement
};

class PgOutbox final : public AsyncOutbox {
 public:
  // `connection` and `plan_connection` must be two connections (an apply's
  // transaction spans several statements).
  PgOutbox(boost::asio::io_context& io, PgConnection& connection, PgConnection& plan_connection,
           PgOutboxSettings settings);
  ~PgOutbox() override;
  PgOutbox(const PgOutbox&) = delete;
  PgOutbox& operator=(const PgOutbox&) = delete;

  const PgOutboxSettings& settings() const { return settings_; }

  // Upserts this node's heartbeat (the server's clock) and its loaded
  // versions into nodes and node_series.
  void async_heartbeat(StatusHandler done);

  void async_apply_plan(std::string series_id, std::string series_version,
                        const PlannedRows& wanted, Instant now, ApplyOptions options,
                        Handler<PlanDiff> done) override;
  void async_next_plan_generation(Handler<PlanGeneration> done) override;
  void set_generation_in_force(PlanGeneration generation) override { in_force_ = generation; }
  void set_loaded_versions(LoadedVersions versions) override { loaded_ = std::move(versions); }

  void async_claim_due(Instant now, std::size_t limit,
                       Handler<std::vector<NotificationRow>> done) override;
  void async_next_due(Handler<std::optional<Instant>> done) override;
  void async_renew_leases(std::vector<std::string> ids, StatusHandler done) override;
  void async_record_results(std::vector<RecordedAttempt> attempts, StatusHandler done) override;
  void async_listen_for_wakes(std::function<void()> on_wake, StatusHandler done) override;
  // No take-over until `until` (async_take_over finds nothing): after an
  // outage every node needs a lease's time to record the results it held
  // and renew what it still sends, or another node would resend them.
  void pause_take_over(std::chrono::steady_clock::time_point until) { no_take_over_until_ = until; }
  // LISTENs again with the handler async_listen_for_wakes set, on
  // `connection` opened anew after it was lost (nothing to do, and `done`
  // hears success, when nobody listened).
  void async_listen_again(StatusHandler done);
  void async_recover_interrupted(Instant now, Handler<std::size_t> done) override;
  void async_take_over(Instant now, Handler<std::size_t> done) override;
  void async_mark_missed(std::vector<std::string> ids, Instant now, MissScope scope,
                         Handler<std::size_t> done) override;
  void async_overdue_unsent(std::string series_id, Instant now,
                            Handler<std::vector<std::string>> done) override;
  void async_retry(std::string id, Instant now, StatusHandler done) override;
  void async_hold_series(std::vector<std::string> series_ids, StatusHandler done) override;

  void async_put_series_version(SeriesVersion version, StatusHandler done) override;
  void async_series_version(std::string series_id,
                            Handler<std::optional<SeriesVersion>> done) override;
  void async_series_versions(Handler<std::vector<SeriesVersion>> done) override;
  void async_put_session_version(SessionVersion version, StatusHandler done) override;
  void async_session_version(std::string series_id, std::string session_id,
                             Handler<std::optional<SessionVersion>> done) override;
  void async_session_versions(std::string series_id,
                              Handler<std::vector<SessionVersion>> done) override;
  void async_invitation_sent(std::string series_id, Handler<bool> done) override;

  void async_opt_out(OptOut opt_out, Handler<std::size_t> done) override;
  void async_opt_outs(std::optional<std::string> series_id,
                      Handler<std::vector<OptOut>> done) override;
  void async_opt_out_key(Handler<std::string> done) override;

  // pg_outbox_queries.cpp
  void async_state_counts(std::optional<std::string> series_id,
                          std::optional<std::string> session_id,
                          Handler<StateCounts> done) override;
  void async_kind_state_counts(Handler<std::vector<KindStateCounts>> done) override;
  void async_session_state_counts(std::string series_id,
                                  Handler<std::vector<SessionStateCounts>> done) override;
  void async_find(std::string id, Handler<std::optional<NotificationDetail>> done) override;
  void async_list(NotificationQuery query, Handler<NotificationPage> done) override;
  void async_pending_by_slice(std::string series_id, Instant until, std::chrono::seconds slice,
                              Handler<std::vector<DueSlice>> done) override;
  void async_nodes(Handler<std::vector<NodeStatus>> done) override;

 private:
  class Apply;  // one apply_plan's chain of statements (pg_outbox_plan.cpp)

  // One statement on `connection_`; `read` turns its rows into the answer
  // (a MalformedResult it throws becomes ErrorCode::failed).
  template <typename T>
  void run(std::string sql, std::vector<Param> params, Handler<T> done,
           std::function<Result<T>(const PgRows&)> read);
  void run_status(std::string sql, std::vector<Param> params, StatusHandler done);
  // `done(error)` on the loop's next turn (a refusal before any statement).
  void fail_later(StatusHandler done, Error error);
  // async_mark_missed's statements, rows_per_statement ids each, from
  // `first`; `marked` so far.
  struct MissedIds;
  void mark_missed_from(std::shared_ptr<MissedIds> missed, std::size_t first, std::size_t marked,
                        Handler<std::size_t> done);
  template <typename T>
  void answer_later(Handler<T> done, Result<T> result);

  // The " AND …" that claims and next_due share: loaded versions, held
  // series, generation; its parameters start at $first.
  std::string claimable_filter(int first) const;
  std::vector<Param> claimable_params() const;

  // Applies wait here for the one before them.
  void queue_apply(std::function<void()> start);
  void apply_done();

  boost::asio::io_context& io_;
  PgConnection& connection_;
  PgConnection& plan_connection_;
  PgOutboxSettings settings_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);

  LoadedVersions loaded_;
  std::vector<std::string> held_;
  std::optional<PlanGeneration> in_force_;
  bool heartbeat_started_ = false;  // the first heartbeat also sets started_at
  std::optional<std::string> opt_out_key_;  // once read: it never changes
  std::function<void()> on_wake_;
  std::chrono::steady_clock::time_point no_take_over_until_{};

  std::deque<std::function<void()>> applies_;
  bool applying_ = false;
};

template <typename T>
void PgOutbox::answer_later(Handler<T> done, Result<T> result) {
  boost::asio::post(io_, [life = std::weak_ptr<int>(life_), done = std::move(done),
                          result = std::move(result)]() mutable {
    if (!life.expired()) done(std::move(result));
  });
}

template <typename T>
void PgOutbox::run(std::string sql, std::vector<Param> params, Handler<T> done,
                   std::function<Result<T>(const PgRows&)> read) {
  connection_.async_query(
      std::move(sql), std::move(params), settings_.query_timeout,
      [life = std::weak_ptr<int>(life_), done = std::move(done),
       read = std::move(read)](Result<PgRows> rows) {
        if (life.expired()) return;
        if (!rows) return done(rows.error());
        std::optional<Result<T>> answer;
        try {
          answer.emplace(read(*rows));
        } catch (const MalformedResult& malformed) {
          answer.emplace(Error{std::string("the PostgreSQL outbox answered with ") +
                                   malformed.what(),
                               ErrorCode::failed});
        }
        done(std::move(*answer));
      });
}

}  // namespace kutsu::store::pg
