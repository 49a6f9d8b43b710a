#include "store/local_outbox.h"

#include <boost/asio/post.hpp>
#include <utility>

namespace kutsu::store {

namespace {

Instant clock_now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

LocalOutbox::LocalOutbox(boost::asio::io_context& io, Outbox& outbox, std::string node)
    : io_(io), outbox_(outbox), node_(std::move(node)), started_at_(clock_now()) {}

template <typename R, typename H>
void LocalOutbox::answer(H done, R result) {
  boost::asio::post(io_, [done = std::move(done), result = std::move(result),
                          life = std::weak_ptr<int>(life_)]() mutable {
    if (!life.expired()) done(std::move(result));
  });
}

void LocalOutbox::async_apply_plan(std::string series_id, std::string /*series_version*/,
                                   const PlannedRows& wanted, Instant now, ApplyOptions options,
                                   Handler<PlanDiff> done) {
  answer(std::move(done), outbox_.apply_plan(series_id, wanted, now, options));
}

void LocalOutbox::async_next_plan_generation(Handler<PlanGeneration> done) {
  answer(std::move(done), outbox_.next_plan_generation());
}

void LocalOutbox::set_generation_in_force(PlanGeneration generation) {
  outbox_.set_generation_in_force(generation);
}

void LocalOutbox::async_claim_due(Instant now, std::size_t limit,
                                  Handler<std::vector<NotificationRow>> done) {
  answer(std::move(done), outbox_.claim_due(now, limit));
}

void LocalOutbox::async_next_due(Handler<std::optional<Instant>> done) {
  answer(std::move(done), outbox_.next_due());
}

void LocalOutbox::async_renew_leases(std::vector<std::string>, StatusHandler done) {
  answer(std::move(done), Status{});
}

void LocalOutbox::async_record_results(std::vector<RecordedAttempt> attempts, StatusHandler done) {
  answer(std::move(done), outbox_.record_results(attempts));
}

void LocalOutbox::async_listen_for_wakes(std::function<void()>, StatusHandler done) {
  // One node: whoever makes something due (a reload, a retry) wakes the
  // dispatcher beside it.
  answer(std::move(done), Status{});
}

void LocalOutbox::async_recover_interrupted(Instant now, Handler<std::size_t> done) {
  answer(std::move(done), outbox_.recover_interrupted(now));
}

void LocalOutbox::async_take_over(Instant, Handler<std::size_t> done) {
  // One node: whatever is `sending` is in flight here, never abandoned.
  answer(std::move(done), Result<std::size_t>(std::size_t{0}));
}

void LocalOutbox::async_mark_missed(std::vector<std::string> ids, Instant now, MissScope scope,
                                    Handler<std::size_t> done) {
  answer(std::move(done), outbox_.mark_missed(ids, now, scope));
}

void LocalOutbox::async_overdue_unsent(std::string series_id, Instant now,
                                       Handler<std::vector<std::string>> done) {
  answer(std::move(done), outbox_.overdue_unsent(series_id, now));
}

void LocalOutbox::async_retry(std::string id, Instant now, StatusHandler done) {
  answer(std::move(done), outbox_.retry(id, now));
}

void LocalOutbox::async_hold_series(std::vector<std::string> series_ids, StatusHandler done) {
  answer(std::move(done), outbox_.hold_series(series_ids));
}

void LocalOutbox::async_put_series_version(SeriesVersion version, StatusHandler done) {
  answer(std::move(done), outbox_.put_series_version(version));
}

void LocalOutbox::async_series_version(std::string series_id,
                                       Handler<std::optional<SeriesVersion>> done) {
  answer(std::move(done), outbox_.series_version(series_id));
}

void LocalOutbox::async_series_versions(Handler<std::vector<SeriesVersion>> done) {
  answer(std::move(done), outbox_.series_versions());
}

void LocalOutbox::async_put_session_version(SessionVersion version, StatusHandler done) {
  answer(std::move(done), outbox_.put_session_version(version));
}

void LocalOutbox::async_session_version(std::string series_id, std::string session_id,
                                        Handler<std::optional<SessionVersion>> done) {
  answer(std::move(done), outbox_.session_version(series_id, session_id));
}

void LocalOutbox::async_session_versions(std::string series_id,
                                         Handler<std::vector<SessionVersion>> done) {
  answer(std::move(done), outbox_.session_versions(series_id));
}

void LocalOutbox::async_invitation_sent(std::string series_id, Handler<bool> done) {
  answer(std::move(done), outbox_.invitation_sent(series_id));
}

void LocalOutbox::async_opt_out(OptOut opt_out, Handler<std::size_t> done) {
  answer(std::move(done), outbox_.opt_out(opt_out));
}

void LocalOutbox::async_opt_outs(std::optional<std::string> series_id,
                                 Handler<std::vector<OptOut>> done) {
  answer(std::move(done), series_id ? outbox_.opt_outs(std::string_view(*series_id))
                                    : outbox_.opt_outs());
}

void LocalOutbox::async_opt_out_key(Handler<std::string> done) {
  answer(std::move(done), outbox_.opt_out_key());
}

void LocalOutbox::async_state_counts(std::optional<std::string> series_id,
                                     std::optional<std::string> session_id,
                                     Handler<StateCounts> done) {
  std::optional<std::string_view> series;
  std::optional<std::string_view> session;
  if (series_id) series = *series_id;
  if (session_id) session = *session_id;
  answer(std::move(done), outbox_.state_counts(series, session));
}

void LocalOutbox::async_kind_state_counts(Handler<std::vector<KindStateCounts>> done) {
  answer(std::move(done), outbox_.kind_state_counts());
}

void LocalOutbox::async_session_state_counts(std::string series_id,
                                             Handler<std::vector<SessionStateCounts>> done) {
  answer(std::move(done), outbox_.session_state_counts(series_id));
}

void LocalOutbox::async_find(std::string id, Handler<std::optional<NotificationDetail>> done) {
  answer(std::move(done), outbox_.find(id));
}

void LocalOutbox::async_list(NotificationQuery query, Handler<NotificationPage> done) {
  answer(std::move(done), outbox_.list(query));
}

void LocalOutbox::async_pending_by_slice(std::string series_id, Instant until,
                                         std::chrono::seconds slice,
                                         Handler<std::vector<DueSlice>> done) {
  answer(std::move(done), outbox_.pending_by_slice(series_id, until, slice));
}

// The one node is alive while it answers.
void LocalOutbox::async_nodes(Handler<std::vector<NodeStatus>> done) {
  answer(std::move(done),
         Result<std::vector<NodeStatus>>(
             std::vector<NodeStatus>{NodeStatus{node_, clock_now(), started_at_, loaded_}}));
}

}  // namespace kutsu::store
