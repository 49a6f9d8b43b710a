#include "service/series_catalog.h"

#include <algorithm>

namespace kutsu::service {

void SeriesCatalog::replace(SeriesMap series) {
  by_id_ = std::move(series);
  index_ = {};  // frees it: clear() would keep the capacity
  index_stale_ = true;
}

const std::vector<SeriesCatalog::IndexEntry>& SeriesCatalog::index() const {
  if (!index_stale_) return index_;
  std::size_t size = 0;
  for (const auto& [id, loaded] : by_id_) {
    size += loaded->plan.notifications.size() + loaded->updates.size();
  }
  index_.reserve(size);
  for (const auto& [id, loaded] : by_id_) {
    for (const model::Notification& notification : loaded->plan.notifications) {
      index_.push_back({notification.id, Found{&notification, loaded.get()}});
    }
    for (const model::Notification& update : loaded->updates) {
      index_.push_back({update.id, Found{&update, loaded.get()}});
    }
  }
  std::sort(index_.begin(), index_.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.id < b.id; });
  index_stale_ = false;
  return index_;
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
  const std::vector<IndexEntry>& entries = index();
  auto it = std::lower_bound(entries.begin(), entries.end(), *id,
                             [](const IndexEntry& entry, const model::NotificationId& wanted) {
                               return entry.id < wanted;
                             });
  if (it == entries.end() || it->id != *id) return std::nullopt;
  return it->found;
}

}  // namespace kutsu::service
