#include "tests/admin/test_daemon_view.h"

#include <stdexcept>

#include "agenda/series_parser.h"
#include "scheduler/outbox_rows.h"

namespace kutsu::admin::testing {

namespace {

using namespace std::chrono;

store::Outbox open_outbox(const std::filesystem::path& state_dir) {
  Result<store::Outbox> outbox = store::Outbox::open(store::outbox_file(state_dir));
  if (!outbox) throw std::runtime_error(outbox.error().message);
  return std::move(*outbox);
}

template <typename T>
T checked(Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

void checked(Status status) {
  if (!status) throw std::runtime_error(status.error().message);
}

store::RecordedAttempt attempt_at(const std::string& id, Instant at, AttemptResult result,
                                  std::optional<Instant> next_attempt_at = std::nullopt) {
  return store::RecordedAttempt{id, store::Attempt{at, std::move(result)}, next_attempt_at};
}

}  // namespace

Instant TestDaemonView::fixed_now() { return sys_days{2022y / January / 20} + 12h; }

std::filesystem::path TestDaemonView::example_file() {
  return std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "aluevaltuutetut-2022.toml";
}

TestDaemonView::TestDaemonView(boost::asio::io_context& io,
                               const std::filesystem::path& state_dir)
    : outbox_(open_outbox(state_dir)), local_(io, outbox_), started_at_(sys_days{2022y / January / 19} + 6h) {
  agenda::SeriesLoad load = agenda::load_series(example_file());
  if (!load.series) throw std::runtime_error("the example series does not load");
  series_ = std::make_unique<agenda::Series>(std::move(*load.series));
  plan_ = std::make_unique<scheduler::Plan>(scheduler::plan_series(*series_));
  if (!plan_->diagnostics.empty()) throw std::runtime_error("the example series does not plan");
  sequences_["hoitoketjut"] = 1;

  std::vector<store::PlannedNotification> rows = scheduler::planned_rows(*plan_);
  checked(outbox_.apply_plan(series_->id, rows, started_at_));

  // The invitations go out: sent, retrying, failed, and one still sending.
  const Instant invited = *plan_->times.invitation_due;
  std::vector<store::NotificationRow> claimed = checked(outbox_.claim_due(invited, kSent + 3));
  if (claimed.size() != kSent + 3) throw std::runtime_error("too few invitations to claim");
  std::vector<store::RecordedAttempt> attempts;
  const Instant done = invited + 2s;
  for (std::size_t i = 0; i < kSent; ++i) {
    ids_.sent.push_back(claimed[i].id);
    attempts.push_back(attempt_at(
        claimed[i].id, done, AttemptResult::sent(250, "2.0.0 Ok: queued as " + std::to_string(i))));
  }
  ids_.retrying = claimed[kSent].id;
  attempts.push_back(
      attempt_at(ids_.retrying, done, AttemptResult::retry(451, "4.3.0 Mailbox busy"), done + 1h));
  ids_.failed = claimed[kSent + 1].id;
  attempts.push_back(
      attempt_at(ids_.failed, done, AttemptResult::permanent(550, "5.1.1 \"No such user\" here")));
  ids_.sending = claimed[kSent + 2].id;
  checked(outbox_.record_results(attempts));
  for (const store::RecordedAttempt& recorded : attempts) {
    stats_.record_attempt("email", recorded.attempt.result.outcome);
  }
  stats_.record_lateness(duration<double>(0.2));
  stats_.record_lateness(duration<double>(1.5));
  stats_.record_lateness(duration<double>(30));

  // The earliest reminder is missed; the latest one is planned away.
  const std::vector<store::PlannedNotification>::iterator first_reminder =
      std::find_if(rows.begin(), rows.end(),
                   [](const store::PlannedNotification& row) { return row.kind == "reminder"; });
  ids_.missed = first_reminder->id;
  checked(outbox_.mark_missed(std::vector<std::string>{ids_.missed}, fixed_now()));
  ids_.superseded = rows.back().id;
  rows.pop_back();
  checked(outbox_.apply_plan(series_->id, rows, fixed_now()));

  last_reload_.at = started_at_;
  last_reload_.files.push_back(
      model::FileReport{example_file().string(), series_->id, true, true, false, {}});
  checked(outbox_.put_series_version(
      store::SeriesVersion{series_->id, "sha256:0123abcd", started_at_, true, ""}));
}

std::vector<SeriesView> TestDaemonView::series() const {
  return {SeriesView{series_.get(), plan_.get(), &sequences_}};
}

std::optional<SeriesView> TestDaemonView::series(std::string_view id) const {
  if (id != series_->id) return std::nullopt;
  return SeriesView{series_.get(), plan_.get(), &sequences_};
}

Result<std::optional<std::string>> TestDaemonView::series_feed(std::string_view id) {
  if (id != series_->id) return std::optional<std::string>();
  return std::optional<std::string>(std::string(kFeed));
}

Result<std::optional<std::string>> TestDaemonView::public_feed() {
  if (!series_->is_public) return std::optional<std::string>();
  return std::optional<std::string>(std::string(kFeed));
}


void TestDaemonView::reload(ReloadDone done) {
  last_reload_ = next_reload_;
  for (const model::FileReport& file : last_reload_.files) {
    if (!file.ok) ++reload_errors_;
  }
  done(last_reload_, model::ReloadQueued::started);
}

}  // namespace kutsu::admin::testing
