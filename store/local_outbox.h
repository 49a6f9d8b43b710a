// LocalOutbox: AsyncOutbox over the SQLite outbox of one node (outbox.h).
// Each call runs the Outbox's own method at once, on the calling thread,
// and posts its handler to the loop, so handlers never run inside the call
// (as with the PostgreSQL outbox). The single node keeps no leases: claims
// carry none, renewing does nothing, taking over finds nothing, and every
// series version is claimed (the node planned them all itself).
//
// Threading and lifetimes: owned by someone else, like the Outbox it wraps
// (both must outlive it, and the io_context too); the loop's thread only.
// Destroying it abandons the handlers posted and not yet run (each holds a
// weak_ptr to `life_`).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "store/async_outbox.h"
#include "store/outbox.h"

namespace kutsu::store {

class LocalOutbox final : public AsyncOutbox {
 public:
  // `node`: the name async_nodes() gives this one node.
  LocalOutbox(boost::asio::io_context& io, Outbox& outbox, std::string node = "local");
  LocalOutbox(const LocalOutbox&) = delete;
  LocalOutbox& operator=(const LocalOutbox&) = delete;

  Outbox& outbox() { return outbox_; }

  void async_apply_plan(std::string series_id, std::string series_version,
                        const PlannedRows& wanted, Instant now, ApplyOptions options,
                        Handler<PlanDiff> done) override;
  void async_next_plan_generation(Handler<PlanGeneration> done) override;
  void set_generation_in_force(PlanGeneration generation) override;
  // Kept for async_nodes() only: this node planned every row itself.
  void set_loaded_versions(LoadedVersions versions) override { loaded_ = std::move(versions); }

  void async_claim_due(Instant now, std::size_t limit,
                       Handler<std::vector<NotificationRow>> done) override;
  void async_next_due(Handler<std::optional<Instant>> done) override;
  void async_renew_leases(std::vector<std::string> ids, StatusHandler done) override;
  void async_record_results(std::vector<RecordedAttempt> attempts, StatusHandler done) override;
  void async_listen_for_wakes(std::function<void()> on_wake, StatusHandler done) override;
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
  // Posts `done(result)` to the loop, to run while *this lives.
  template <typename R, typename H>
  void answer(H done, R result);

  boost::asio::io_context& io_;
  Outbox& outbox_;
  std::string node_;
  LoadedVersions loaded_;
  Instant started_at_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::store
