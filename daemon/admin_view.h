// AdminView: what the admin API sees of the running service
// (admin::DaemonView over service::Service). The daemon sits above both;
// a load's report and a reload's queue position are the same types on both
// sides (model/load_report.h), so they pass through as they are.
//
// Event loop thread only, like the Service; the Service outlives it.
#pragma once

#include "admin/daemon_view.h"
#include "service/service.h"

namespace kutsu::daemon {

class AdminView final : public admin::DaemonView {
 public:
  explicit AdminView(service::Service& service) : service_(service) {}

  store::Instant now() const override { return service_.now(); }
  store::Instant started_at() const override { return service_.started_at(); }
  store::AsyncOutbox& async_outbox() override { return service_.async_outbox(); }
  std::string node_name() const override { return service_.node_name(); }
  StoreState store_state() const override {
    return StoreState{service_.store_problem(), service_.store_failures()};
  }
  std::vector<admin::SeriesView> series() const override;
  std::optional<admin::SeriesView> series(std::string_view id) const override;
  Result<std::optional<std::string>> public_feed() override { return service_.public_feed(); }
  Result<std::optional<std::string>> series_feed(std::string_view id) override {
    return service_.series_feed(id);
  }
  void retry(std::string notification_id, std::function<void(Status)> done) override {
    service_.retry(std::move(notification_id), std::move(done));
  }
  const model::OptOutLinks* opt_out_links() const override { return service_.opt_out_links(); }
  void opt_out(model::OptOutSubject subject, store::OptOutScope scope,
               std::function<void(Result<std::size_t>)> done) override {
    service_.opt_out(std::move(subject), scope, std::move(done));
  }
  void reload(ReloadDone done) override;
  const model::LoadReport& last_reload() const override { return service_.last_load(); }
  std::uint64_t reload_errors() const override { return service_.failed_files(); }
  const scheduler::DeliveryStats& delivery_stats() const override {
    return service_.delivery_stats();
  }
  std::vector<std::string> series_waiting_for_store() const override {
    return {service_.waiting_for_store().begin(), service_.waiting_for_store().end()};
  }

 private:
  service::Service& service_;
};

}  // namespace kutsu::daemon
