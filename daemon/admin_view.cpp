#include "daemon/admin_view.h"

namespace kutsu::daemon {

namespace {

admin::SeriesView view_of(const service::LoadedSeries& loaded) {
  return admin::SeriesView{&loaded.series, &loaded.plan, &loaded.sequences};
}

admin::DaemonView::ReloadQueued queued_of(service::Reloader::Queued queued) {
  switch (queued) {
    case service::Reloader::Queued::started:
      return admin::DaemonView::ReloadQueued::started;
    case service::Reloader::Queued::waiting:
      return admin::DaemonView::ReloadQueued::waiting;
    case service::Reloader::Queued::merged:
      return admin::DaemonView::ReloadQueued::merged;
  }
  return admin::DaemonView::ReloadQueued::started;
}

}  // namespace

admin::ReloadReport AdminView::report_of(const service::LoadReport& load) {
  admin::ReloadReport report;
  report.at = load.at;
  report.error = load.error;
  report.removed = load.removed;
  for (const service::FileReport& file : load.files) {
    admin::FileReport& out = report.files.emplace_back();
    out.file = file.file.string();
    out.series_id = file.series_id;
    out.ok = file.ok;
    out.changed = file.changed;
    out.kept_previous = file.kept_previous;
    out.errors = file.errors;
    out.notices = file.notices;
  }
  return report;
}

std::vector<admin::SeriesView> AdminView::series() const {
  std::vector<admin::SeriesView> views;
  for (const service::LoadedSeries* loaded : service_.catalog().all()) {
    views.push_back(view_of(*loaded));
  }
  return views;
}

std::optional<admin::SeriesView> AdminView::series(std::string_view id) const {
  const service::LoadedSeries* loaded = service_.catalog().series(id);
  if (loaded == nullptr) return std::nullopt;
  return view_of(*loaded);
}

void AdminView::reload(ReloadDone done) {
  // The queue position is known now, the report when the load is in force.
  auto queued = std::make_shared<service::Reloader::Queued>();
  *queued = service_.reload([queued, done = std::move(done)](const service::LoadReport& load) {
    done(report_of(load), queued_of(*queued));
  });
}

const admin::ReloadReport& AdminView::last_reload() const {
  last_report_ = report_of(service_.last_load());
  return last_report_;
}

}  // namespace kutsu::daemon
