#include "daemon/admin_view.h"

namespace kutsu::daemon {

namespace {

admin::SeriesView view_of(const service::LoadedSeries& loaded) {
  return admin::SeriesView{&loaded.series, &loaded.plan, &loaded.sequences};
}

}  // namespace

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
  auto queued = std::make_shared<model::ReloadQueued>();
  *queued = service_.reload(
      [queued, done = std::move(done)](const model::LoadReport& load) { done(load, *queued); });
}

}  // namespace kutsu::daemon
