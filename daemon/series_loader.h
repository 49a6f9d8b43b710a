// SeriesLoader: series_dir → the SeriesCatalog and the outbox, at start-up
// and at every reload (SIGHUP, POST /api/v1/reload). It applies the rules of
// architecture.md ("Reload is a diff") and interfaces.md (misfire rule):
//
//  - a valid file re-plans its series: session changes first (update
//    notices, SEQUENCE), then Outbox::apply_plan, then its version;
//  - a broken file changes nothing for its series, which keeps its previous
//    version if it had one; its errors are logged, stored as a failed series
//    version and returned in the report;
//  - a file that is gone supersedes what its series still had pending;
//  - a series the outbox knows but that is not in force (its file is broken
//    and was never loaded in this process) is held (Outbox::hold_series):
//    its notifications wait for a fixed file instead of failing. At start-up,
//    a known series with no file left is treated as removed — unless some
//    file failed before naming its series, in which case it may be that file
//    and is held too;
//  - the misfire rule: at start-up, and for a series that comes into force
//    at a reload, to everything that is overdue; for a series that stayed in
//    force, only to the pending rows this reload made overdue (reminders
//    added, moved or revived into the past: store::PlanDiff::overdue) —
//    the rest came due while it was served and was handled then.
//
// Outbox failures during one series are reported for its file and the
// other files still load. A failure of the disk or the file (a full disk,
// an I/O error: ErrorCode::unavailable) leaves the series waiting for the
// store: it is held, so nothing is sent from a plan the outbox does not
// have, and store_waiting() stores it as soon as the outbox can write again,
// with the misfire rule of a series coming into force. Other outbox
// failures at start-up are fatal (load() says so), since the daemon could
// not vouch for what it would send.
//
// Not thread-safe: the event loop's thread only. The catalog, outbox and
// config must outlive it.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "admin/daemon_view.h"
#include "config/daemon_config.h"
#include "daemon/series_catalog.h"
#include "store/outbox.h"

namespace kutsu::cli {

class SeriesLoader {
 public:
  SeriesLoader(SeriesCatalog& catalog, store::Outbox& outbox, const config::DaemonConfig& config);

  enum class Occasion { startup, reload };

  // Loads series_dir as of `at`. At start-up a store failure comes back as an
  // Error (the daemon must not serve); at a reload it is one file's error.
  Result<admin::ReloadReport> load(Occasion occasion, store::Instant at);

  // Files that failed, over every load so far.
  std::uint64_t failed_files() const { return failed_files_; }

  // Series whose plan (or whose removal) the outbox could not take yet.
  const std::set<std::string, std::less<>>& waiting_for_store() const { return waiting_; }
  // Tries each of them again; returns how many the outbox took.
  std::size_t store_waiting(store::Instant at);

 private:
  Status store_series(const LoadedSeries& series, bool startup, bool misfire_all,
                      store::Instant at);
  Status remove_series(const std::string& id, store::Instant at);
  Status apply_session_changes(const LoadedSeries& series);
  Status hold_and_forget(const CatalogLoad& loaded, Occasion occasion, store::Instant at);
  // Holds the series of broken files and those waiting for the store.
  Status hold();

  SeriesCatalog& catalog_;
  store::Outbox& outbox_;
  const config::DaemonConfig& config_;
  std::uint64_t failed_files_ = 0;
  std::vector<std::string> held_broken_;        // in the outbox, but no file loads
  std::set<std::string, std::less<>> waiting_;  // loaded or removed, not yet stored
};

}  // namespace kutsu::cli
