// Loading series_dir into the outbox: what start-up and every reload do,
// as one function that runs on any thread with its own outbox connection
// (or, on PostgreSQL, the loop's outbox asked through load_store.h) while
// the event loop goes on sending from the catalog in force.
//
// The rules (architecture.md "Reload is a diff", interfaces.md):
//  - a valid file re-plans its series: session changes first (update
//    notices, SEQUENCE), then its plan, then its version; a plan with the
//    digest of the one last stored (plan_digest.h) is not compared again;
//  - a broken file changes nothing for its series, which keeps the version
//    in force if it had one; its errors are logged, stored as a failed
//    series version and returned in the report;
//  - a file that is gone supersedes what its series still had pending;
//  - a series the outbox knows but no loaded file serves is held: its
//    notifications wait for a fixed file instead of failing. At start-up, a
//    known series with no file left is removed — unless some file failed
//    before naming its series (it may be that file): then it is held too;
//  - the misfire rule: at start-up, and for a series that comes into force
//    (new, fixed, or stored after waiting for the store), to every unsent
//    row that is overdue; for a series that stayed in force, only to the pending rows
//    this load made overdue (store::PlanDiff::overdue);
//  - a failure of the disk or the file (ErrorCode::unavailable) leaves the
//    series waiting for the store: held, and stored by a later load; other
//    outbox failures are that file's errors, and at start-up fatal.
//
// The rows this load writes carry `generation`, in transactions of
// rows_per_transaction: the dispatcher goes on claiming the generation in
// force meanwhile, and the outcome is put in force on the loop at once
// (catalog, generation, holds: service/reloader.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/load_report.h"
#include "service/load_store.h"
#include "service/series_catalog.h"
#include "service/series_load.h"
#include "store/outbox.h"

namespace kutsu::service {

enum class LoadOccasion { startup, reload };

struct LoadRequest {
  LoadOccasion occasion = LoadOccasion::reload;
  std::filesystem::path series_dir;
  WebhookNames webhooks;
  SeriesMap in_force;                           // the catalog in force now
  std::set<std::string, std::less<>> waiting;   // series waiting for the store
  std::chrono::seconds misfire_grace{900};
  std::chrono::days plan_horizon{400};  // recurring sessions are planned up to at + this
  // A session deleted after its invitation is cancelled this much later.
  std::chrono::seconds cancel_delay{600};
  store::Instant at;
  std::size_t rows_per_transaction = 500;
};

struct LoadOutcome {
  model::LoadReport report;                     // what the admin API answers too
  SeriesMap next;                               // the catalog to put in force
  SeriesCatalog::Index index;                   // next's, built with it off the loop
  SeriesCatalog::Retired retired;               // what `next` replaced, to free off the loop
  store::PlanGeneration generation = 0;         // to put in force with it; 0: keep the one in force
  std::vector<std::string> held;                // to hold on the loop's connection
  bool keep_holds = false;                      // nothing was stored: the holds stay as they are
  std::set<std::string, std::less<>> waiting;   // still waiting for the store
  std::uint64_t failed_files = 0;
  // A start-up failure the daemon must not serve through; the rest is unset then.
  std::optional<Error> fatal;
};

// `outbox`: the worker's (load_store.h); on PostgreSQL each row written
// records its series file's content hash.
LoadOutcome load_series_dir(LoadStore& outbox, LoadRequest request);

}  // namespace kutsu::service
