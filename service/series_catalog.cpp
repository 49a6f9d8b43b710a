#include "service/series_catalog.h"

#include <algorithm>
#include <utility>

namespace kutsu::service {

void SeriesCatalog::replace(SeriesMap series) {
  by_id_ = std::move(series);
  index_ = {};  // frees it: clear() would keep the capacity
  index_stale_ = true;
}

SeriesCatalog::Retired SeriesCatalog::replace(SeriesMap series, Index index) {
  Retired retired{std::exchange(by_id_, std::move(series)), std::exchange(index_, std::move(index))};
  index_stale_ = false;
  return retired;
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

const SeriesCatalog::Index& SeriesCatalog::index() const {
  if (index_stale_) {
    index_ = index_of(by_id_);
    index_stale_ = false;
  }
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
  const Index& entries = index();
  auto it = std::lower_bound(entries.begin(), entries.end(), *id,
                             [](const IndexEntry& entry, const model::NotificationId& wanted) {
                               return entry.id < wanted;
                             });
  if (it == entries.end() || it->id != *id) return std::nullopt;
  return it->found;
}

}  // namespace kutsu::service
