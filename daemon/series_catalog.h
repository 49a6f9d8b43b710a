// SeriesCatalog: the series the daemon serves — each valid series file of
// series_dir, parsed and planned — and an index from notification id to the
// planned Notification, which is what rendering a claimed row needs.
//
// load_directory() reads every *.toml of the folder (in name order) and
// applies the rules of a reload (architecture.md, "Reload is a diff"):
//  - a valid file replaces the version of its series;
//  - a file with problems changes nothing: the series it held before (if
//    any) stays in force, and its problems are returned, one
//    FILE:LINE:COLUMN line each;
//  - a file that is gone takes its series with it (listed in `removed`).
// Problems include the daemon's own check: a webhook name the config does
// not define. Two files with the same series id: the later one is refused.
//
// Each LoadedSeries sits at a fixed address (its Plan points into its
// Series) until the next load_directory() replaces or removes it; pointers
// from find() are valid until then. Not thread-safe: the event loop owns it.
//
// The id index is built at the first find() after a change, not by the
// change itself: at start-up and at a reload the outbox's diff of the new
// plans comes first, and the index (32 bytes a notification) need not sit
// in memory beside it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agenda/series.h"
#include "scheduler/notification.h"
#include "scheduler/planner.h"
#include "scheduler/session_changes.h"

namespace kutsu::cli {

struct LoadedSeries {
  std::filesystem::path file;
  std::string content_hash;  // SHA-256 of the file, hex
  agenda::Series series;
  scheduler::Plan plan;
  // Planned beside the Plan from the outbox's session versions
  // (scheduler/session_changes.h): updates for moved sessions, and the
  // iCalendar SEQUENCE of each session to render with.
  std::vector<scheduler::Notification> updates;
  std::map<std::string, int, std::less<>> sequences;
  // Moved sessions: where they were before (the update notice's "previous time").
  std::map<std::string, scheduler::TimeSpan, std::less<>> previous_times;
};

// What one file of the folder did at this load.
struct FileLoad {
  std::filesystem::path file;
  std::optional<std::string> series_id;  // known when the file named one
  std::string content_hash;
  std::vector<std::string> errors;  // empty: loaded
  bool changed = false;             // a valid file whose content differs from the last load
  bool kept_previous = false;       // a broken file whose series stays as it was loaded before
};

struct CatalogLoad {
  std::vector<FileLoad> files;
  std::vector<std::string> removed;  // series whose file is gone
};

class SeriesCatalog {
 public:
  // `webhook_names`: the endpoints of the daemon config.
  explicit SeriesCatalog(std::set<std::string, std::less<>> webhook_names);

  // Fails only when the folder cannot be listed (then nothing changes).
  Result<CatalogLoad> load_directory(const std::filesystem::path& dir);

  const LoadedSeries* series(std::string_view id) const;
  // Replaces the updates, sequences and previous times of a loaded series
  // (no-op for an unknown id).
  void set_session_changes(std::string_view id, scheduler::SessionChanges changes);
  std::vector<const LoadedSeries*> all() const;  // by series id

  struct Found {
    const scheduler::Notification* notification;
    const LoadedSeries* series;
  };
  std::optional<Found> find(std::string_view notification_id) const;

 private:
  struct IndexEntry {
    scheduler::NotificationId id;
    Found found;
  };
  // Sorted by id; empty while index_stale_.
  const std::vector<IndexEntry>& index() const;
  void drop_index();

  std::set<std::string, std::less<>> webhook_names_;
  std::map<std::string, std::unique_ptr<LoadedSeries>, std::less<>> by_id_;
  // A sorted vector rather than a hash map: a third of the memory for a
  // million ids, and rebuilt by one sort instead of a million allocations.
  mutable std::vector<IndexEntry> index_;
  mutable bool index_stale_ = true;
};

}  // namespace kutsu::cli
