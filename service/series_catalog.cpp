#include "service/series_catalog.h"

#include <algorithm>
#include <utility>

namespace kutsu::service {

SeriesCatalog::Retired SeriesCatalog::replace(SeriesMap series, Index index) {
  return Retired{std::exchange(by_id_, std::move(series)), std::exchange(index_, std::move(index))};
}

SeriesCatalog::Index SeriesCatalog::index_of(const SeriesMap& series) {
  std::size_t size = 0;
  for (const auto& [id, loaded] : series) {
    size += loaded->plan.notifications.size() + loaded->updates.size();
  }
  Index index;
  index.reserve(size);
  for (const auto& [id, loaded] : series) {
    for (const model::Notification& notification : loaded->plan.notifications) {
      index.push_back({notification.id, Found{&notification, loaded.get()}});
    }
    for (const model::Notification& update : loaded->updates) {
      index.push_back({update.id, Found{&update, loaded.get()}});
    }
  }
  std::sort(index.begin(), index.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.id < b.id; });
  return index;
}

const LoadedSeries* SeriesCatalog::series(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

std::vector<const LoadedSeries*> SeriesCatalog::all() const {
  std::vector<const LoadedSeries*> all;
  for (const auto& [id, loaded] : by_id_) all.push_back(loaded.get());
  return all;
}

std::optional<SeriesCatalog::Found> SeriesCatalog::find(std::string_view notification_id) const {
  const std::optional<model::NotificationId> id = model::NotificationId::parse(notification_id);
  if (!id) return std::nullopt;
  auto it = std::lower_bound(index_.begin(), index_.end(), *id,
                             [](const IndexEntry& entry, const model::NotificationId& wanted) {
                               return entry.id < wanted;
                             });
  if (it == index_.end() || it->id != *id) return std::nullopt;
  return it->found;
}

}  // namespace kutsu::service
