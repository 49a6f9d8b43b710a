// TestDaemonView: a DaemonView for the admin API tests over a REAL outbox (a
// SQLite file in a temporary folder) and a real series: the bundled example
// examples/aluevaltuutetut-2022.toml, parsed and planned as the daemon does,
// its plan stored with Outbox::apply_plan. The constructor then moves some
// rows on, through the outbox's own delivery calls, so every state shows:
//   - at the invitation's due time the invitations are claimed; the first
//     `kSent` are recorded sent (250), the next is recorded retry (451, due
//     again an hour later: retrying), the next permanent (550: failed), the
//     next one stays sending;
//   - the earliest pending reminder is marked missed;
//   - one more reminder is superseded (planned away by a second apply_plan).
// now() is fixed at kNow, after all of that.
//
// reload() answers at once, as a load that started for it, with the report
// given to set_reload_report() (the real reload
// is the daemon's, tested end to end there) and counts its broken files in
// reload_errors(). series_feed() answers a fixed calendar text.
//
// Like the daemon's, it is used on the server's event-loop thread only once
// the server runs (AdminHarness::on_loop). The API reads the outbox through
// a LocalOutbox on `io` (answers posted there); tests read and change it
// directly through outbox().
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "admin/daemon_view.h"
#include "agenda/series.h"
#include "scheduler/planner.h"
#include "store/local_outbox.h"
#include "store/outbox.h"

#include <boost/asio/io_context.hpp>

namespace kutsu::admin::testing {

using store::Instant;

inline constexpr std::size_t kSent = 3;

class TestDaemonView : public DaemonView {
 public:
  TestDaemonView(boost::asio::io_context& io, const std::filesystem::path& state_dir);

  // 2022-01-20T12:00:00Z: the day after the invitations went out.
  static Instant fixed_now();
  static std::filesystem::path example_file();
  static constexpr std::string_view kFeed =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n";

  Instant now() const override { return fixed_now(); }
  Instant started_at() const override { return started_at_; }
  store::Outbox& outbox() { return outbox_; }
  store::AsyncOutbox& async_outbox() override { return local_; }
  std::string node_name() const override { return "local"; }
  StoreState store_state() const override {
    return StoreState{outbox_.health().problem(), outbox_.health().failures()};
  }
  std::vector<SeriesView> series() const override;
  std::optional<SeriesView> series(std::string_view id) const override;
  Result<std::optional<std::string>> series_feed(std::string_view id) override;
  Result<std::optional<std::string>> public_feed() override;
  void retry(std::string notification_id, std::function<void(Status)> done) override {
    local_.async_retry(std::move(notification_id), fixed_now(), std::move(done));
  }
  void reload(ReloadDone done) override;
  // Links to https://kutsu.example.org under kOptOutKey; opt_out() writes the outbox.
  const model::OptOutLinks* opt_out_links() const override { return &opt_out_links_; }
  void opt_out(model::OptOutSubject subject, store::OptOutScope scope,
               std::function<void(Result<std::size_t>)> done) override {
    local_.async_opt_out(store::OptOut{subject.series_id, subject.recipient, scope, now()},
                         std::move(done));
  }
  static constexpr std::string_view kOptOutKey = "test-opt-out-key";
  const model::LoadReport& last_reload() const override { return last_reload_; }
  std::uint64_t reload_errors() const override { return reload_errors_; }
  const scheduler::DeliveryStats& delivery_stats() const override { return stats_; }

  void set_reload_report(model::LoadReport report) { next_reload_ = std::move(report); }

  // The ids the constructor moved on, for tests to look up.
  struct Ids {
    std::vector<std::string> sent;
    std::string retrying;
    std::string failed;
    std::string sending;
    std::string missed;
    std::string superseded;
  };
  const Ids& ids() const { return ids_; }
  const agenda::Series& example() const { return *series_; }
  // The example as the public calendar tests change it (`public`, titles).
  agenda::Series& example_to_change() { return *series_; }
  const scheduler::Plan& plan() const { return *plan_; }

 private:
  model::OptOutLinks opt_out_links_{"https://kutsu.example.org", std::string(kOptOutKey)};
  store::Outbox outbox_;
  store::LocalOutbox local_;
  std::unique_ptr<agenda::Series> series_;
  std::unique_ptr<scheduler::Plan> plan_;
  std::map<std::string, int, std::less<>> sequences_;
  Instant started_at_;
  model::LoadReport last_reload_;
  model::LoadReport next_reload_;
  std::uint64_t reload_errors_ = 0;
  scheduler::DeliveryStats stats_;
  Ids ids_;
};

}  // namespace kutsu::admin::testing
