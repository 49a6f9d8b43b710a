// GatedOutbox: an AsyncOutbox for dispatcher tests that passes every call to
// a real one (LocalOutbox over SQLite) and notes it, and can hold back the
// answers of claims and result batches until the test lets them go — so a
// test can see what the dispatcher asks for while one is in flight.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "store/async_outbox.h"

namespace kutsu::scheduler::testing {

class GatedOutbox final : public store::AsyncOutbox {
 public:
  explicit GatedOutbox(store::AsyncOutbox& inner) : inner_(inner) {}

  bool hold_claims = false;
  bool hold_records = false;
  bool fail_records = false;  // answer each result batch (when released) with `unavailable`
  std::size_t claims = 0;                             // async_claim_due calls
  std::vector<std::size_t> record_batches;            // sizes, in call order
  std::vector<std::vector<std::string>> renewals;     // ids of each async_renew_leases
  std::size_t take_overs = 0;
  std::deque<std::function<void()>> held;             // answers held back, in order

  // Lets the oldest held answer go (it runs on the loop's next turn).
  void release_one() {
    std::function<void()> answer = std::move(held.front());
    held.pop_front();
    answer();
  }

  void async_claim_due(store::Instant now, std::size_t limit,
                       Handler<std::vector<store::NotificationRow>> done) override {
    ++claims;
    if (!hold_claims) return inner_.async_claim_due(now, limit, std::move(done));
    held.push_back([this, now, limit, done = std::move(done)]() mutable {
      inner_.async_claim_due(now, limit, std::move(done));
    });
  }
  void async_record_results(std::vector<store::RecordedAttempt> attempts,
                            StatusHandler done) override {
    record_batches.push_back(attempts.size());
    if (fail_records) {
      held.push_back([done = std::move(done)] {
        done(Error{"the outbox cannot be written", ErrorCode::unavailable});
      });
      return;
    }
    if (!hold_records) return inner_.async_record_results(std::move(attempts), std::move(done));
    held.push_back([this, attempts = std::move(attempts), done = std::move(done)]() mutable {
      inner_.async_record_results(std::move(attempts), std::move(done));
    });
  }
  void async_renew_leases(std::vector<std::string> ids, StatusHandler done) override {
    renewals.push_back(ids);
    inner_.async_renew_leases(std::move(ids), std::move(done));
  }
  void async_take_over(store::Instant now, Handler<std::size_t> done) override {
    ++take_overs;
    inner_.async_take_over(now, std::move(done));
  }

  // The rest as they are.
  void async_apply_plan(std::string series_id, std::string series_version,
                        const store::PlannedRows& wanted, store::Instant now,
                        store::ApplyOptions options, Handler<store::PlanDiff> done) override {
    inner_.async_apply_plan(std::move(series_id), std::move(series_version), wanted, now, options,
                            std::move(done));
  }
  void async_next_plan_generation(Handler<store::PlanGeneration> done) override {
    inner_.async_next_plan_generation(std::move(done));
  }
  void set_generation_in_force(store::PlanGeneration generation) override {
    inner_.set_generation_in_force(generation);
  }
  void set_loaded_versions(store::LoadedVersions versions) override {
    inner_.set_loaded_versions(std::move(versions));
  }
  void async_next_due(Handler<std::optional<store::Instant>> done) override {
    inner_.async_next_due(std::move(done));
  }
  void async_listen_for_wakes(std::function<void()> on_wake, StatusHandler done) override {
    inner_.async_listen_for_wakes(std::move(on_wake), std::move(done));
  }
  void async_recover_interrupted(store::Instant now, Handler<std::size_t> done) override {
    inner_.async_recover_interrupted(now, std::move(done));
  }
  void async_mark_missed(std::vector<std::string> ids, store::Instant now, MissScope scope,
                         Handler<std::size_t> done) override {
    inner_.async_mark_missed(std::move(ids), now, scope, std::move(done));
  }
  void async_overdue_unsent(std::string series_id, store::Instant now,
                            Handler<std::vector<std::string>> done) override {
    inner_.async_overdue_unsent(std::move(series_id), now, std::move(done));
  }
  void async_retry(std::string id, store::Instant now, StatusHandler done) override {
    inner_.async_retry(std::move(id), now, std::move(done));
  }
  void async_hold_series(std::vector<std::string> series_ids, StatusHandler done) override {
    inner_.async_hold_series(std::move(series_ids), std::move(done));
  }
  void async_put_series_version(store::SeriesVersion version, StatusHandler done) override {
    inner_.async_put_series_version(std::move(version), std::move(done));
  }
  void async_series_version(std::string series_id,
                            Handler<std::optional<store::SeriesVersion>> done) override {
    inner_.async_series_version(std::move(series_id), std::move(done));
  }
  void async_series_versions(Handler<std::vector<store::SeriesVersion>> done) override {
    inner_.async_series_versions(std::move(done));
  }
  void async_put_session_version(store::SessionVersion version, StatusHandler done) override {
    inner_.async_put_session_version(std::move(version), std::move(done));
  }
  void async_session_version(std::string series_id, std::string session_id,
                             Handler<std::optional<store::SessionVersion>> done) override {
    inner_.async_session_version(std::move(series_id), std::move(session_id), std::move(done));
  }
  void async_session_versions(std::string series_id,
                              Handler<std::vector<store::SessionVersion>> done) override {
    inner_.async_session_versions(std::move(series_id), std::move(done));
  }
  void async_invitation_sent(std::string series_id, Handler<bool> done) override {
    inner_.async_invitation_sent(std::move(series_id), std::move(done));
  }
  void async_opt_out(store::OptOut opt_out, Handler<std::size_t> done) override {
    inner_.async_opt_out(std::move(opt_out), std::move(done));
  }
  void async_opt_outs(std::optional<std::string> series_id,
                      Handler<std::vector<store::OptOut>> done) override {
    inner_.async_opt_outs(std::move(series_id), std::move(done));
  }
  void async_opt_out_key(Handler<std::string> done) override {
    inner_.async_opt_out_key(std::move(done));
  }
  void async_state_counts(std::optional<std::string> series_id,
                          std::optional<std::string> session_id,
                          Handler<store::StateCounts> done) override {
    inner_.async_state_counts(std::move(series_id), std::move(session_id), std::move(done));
  }
  void async_kind_state_counts(Handler<std::vector<store::KindStateCounts>> done) override {
    inner_.async_kind_state_counts(std::move(done));
  }
  void async_session_state_counts(std::string series_id,
                                  Handler<std::vector<store::SessionStateCounts>> done) override {
    inner_.async_session_state_counts(std::move(series_id), std::move(done));
  }
  void async_find(std::string id, Handler<std::optional<store::NotificationDetail>> done) override {
    inner_.async_find(std::move(id), std::move(done));
  }
  void async_list(store::NotificationQuery query, Handler<store::NotificationPage> done) override {
    inner_.async_list(std::move(query), std::move(done));
  }
  void async_pending_by_slice(std::string series_id, store::Instant until,
                              std::chrono::seconds slice,
                              Handler<std::vector<store::DueSlice>> done) override {
    inner_.async_pending_by_slice(std::move(series_id), until, slice, std::move(done));
  }
  void async_nodes(Handler<std::vector<store::NodeStatus>> done) override {
    inner_.async_nodes(std::move(done));
  }

 private:
  store::AsyncOutbox& inner_;
};

}  // namespace kutsu::scheduler::testing
