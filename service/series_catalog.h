// SeriesCatalog: the series in force — what the dispatcher renders claimed
// rows from and the admin API shows — and an index from notification id to
// the planned Notification.
//
// A reload prepares the next catalog off the event loop (service/reload.h),
// its id index included (index_of, on the reload worker: sorting a million
// ids took the loop ~100 ms), and replace() puts both in force at one
// instant on the loop and hands back what they replaced, for the worker to
// free: freeing a plan of half a million rows is as slow as the sort. The
// series are shared and immutable: a series whose file broke keeps its
// LoadedSeries in the next catalog, and a reload being prepared may read
// the current one.
//
// Event loop thread only (index_of aside); pointers from find() and
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
  struct IndexEntry;

 public:
  using Index = std::vector<IndexEntry>;
  // What replace() took out of force, to be destroyed off the loop.
  struct Retired {
    SeriesMap series;
    Index index;
  };

  // The sorted id index of `series`; callable on any thread (the series
  // are immutable).
  static Index index_of(const SeriesMap& series);

  // `index` must be index_of(series).
  Retired replace(SeriesMap series, Index index);
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
  SeriesMap by_id_;
  // A sorted vector rather than a hash map: a third of the memory for a
  // million ids, and rebuilt by one sort instead of a million allocations.
  Index index_;
};

}  // namespace kutsu::service
