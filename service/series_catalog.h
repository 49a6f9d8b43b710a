// SeriesCatalog: the series in force — what the dispatcher renders claimed
// rows from and the admin API shows — and an index from notification id to
// the planned Notification.
//
// A reload prepares the next catalog off the event loop (service/reload.h)
// and replace() puts it in force at one instant on the loop. The series are
// shared and immutable: a series whose file broke keeps its LoadedSeries in
// the next catalog, and a reload being prepared may read the current one.
//
// The id index is built at the first find() after a change, not by the
// change itself, so that it (32 bytes a notification) is not in memory
// beside a reload's diff. Event loop thread only; pointers from find() and
// series() are valid until the next replace().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/notification.h"
#include "scheduler/notification_id.h"
#include "service/series_load.h"

namespace kutsu::service {

using SeriesMap = std::map<std::string, std::shared_ptr<const LoadedSeries>, std::less<>>;

class SeriesCatalog {
 public:
  void replace(SeriesMap series);
  const SeriesMap& snapshot() const { return by_id_; }

  const LoadedSeries* series(std::string_view id) const;
  std::vector<const LoadedSeries*> all() const;  // by series id

  struct Found {
    const model::Notification* notification;
    const LoadedSeries* series;
  };
  std::optional<Found> find(std::string_view notification_id) const;

 private:
  struct IndexEntry {
    model::NotificationId id;
    Found found;
  };
  // Sorted by id; empty while index_stale_.
  const std::vector<IndexEntry>& index() const;

  SeriesMap by_id_;
  // A sorted vector rather than a hash map: a third of the memory for a
  // million ids, and rebuilt by one sort instead of a million allocations.
  mutable std::vector<IndexEntry> index_;
  mutable bool index_stale_ = true;
};

}  // namespace kutsu::service
