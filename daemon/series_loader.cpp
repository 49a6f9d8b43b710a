#include "daemon/series_loader.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "scheduler/misfire_rule.h"
#include "scheduler/outbox_rows.h"
#include "scheduler/session_changes.h"

namespace kutsu::cli {
namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

admin::FileReport report_of(const FileLoad& file) {
  admin::FileReport report;
  report.file = file.file.string();
  report.series_id = file.series_id;
  report.ok = file.errors.empty();
  report.changed = file.changed;
  report.kept_previous = file.kept_previous;
  report.errors = file.errors;
  return report;
}

}  // namespace

SeriesLoader::SeriesLoader(SeriesCatalog& catalog, store::Outbox& outbox,
                           const config::DaemonConfig& config)
    : catalog_(catalog), outbox_(outbox), config_(config) {}

// Session versions → SEQUENCE and update notices (scheduler/session_changes.h).
Status SeriesLoader::apply_session_changes(const LoadedSeries& series) {
  const std::string& id = series.series.id;
  Result<std::vector<store::SessionVersion>> stored = outbox_.session_versions(id);
  if (!stored) return stored.error();
  Result<bool> invitation_sent = outbox_.invitation_sent(id);
  if (!invitation_sent) return invitation_sent.error();
  scheduler::SessionChanges changes =
      scheduler::compare_sessions(series.plan, *stored, *invitation_sent);
  for (const store::SessionVersion& version : changes.changed) {
    if (Status put = outbox_.put_session_version(version); !put) return put;
    if (version.sequence > 0) {
      spdlog::info("series {}: session {} {} after the invitation went out (SEQUENCE {})", id,
                   version.session_id, version.cancelled ? "was cancelled" : "moved",
                   version.sequence);
    }
  }
  catalog_.set_session_changes(id, std::move(changes));
  return {};
}

// Stores one valid series: its session changes, its plan, its version, and
// the misfire rule for what is already overdue.
Status SeriesLoader::store_series(const LoadedSeries& series, bool startup, bool misfire_all,
                                  store::Instant at) {
  auto in_file = [&](const Error& error) {
    return Error{series.file.string() + ": " + error.message, error.code};
  };
  Status changes = apply_session_changes(series);
  if (!changes) return in_file(changes.error());
  const scheduler::NotificationRows rows(series.plan.notifications, series.updates);
  Result<store::PlanDiff> diff = outbox_.apply_plan(series.series.id, rows, at);
  if (!diff) return in_file(diff.error());
  Status put = outbox_.put_series_version(
      store::SeriesVersion{series.series.id, series.content_hash, at, true, ""});
  if (!put) return put.error();
  spdlog::info(
      "series {} from {}: {} notifications ({} new, {} rescheduled, {} revived, {} superseded)",
      series.series.id, series.file.string(), rows.size(), diff->inserted, diff->rescheduled,
      diff->revived, diff->superseded.size());

  // A series in service had its overdue rows handled as they came due: only
  // what this plan just made overdue needs the rule.
  const scheduler::MisfireRule misfire{config_.daemon.misfire_grace};
  const std::vector<std::string> late =
      misfire_all ? scheduler::misfired_ids(series.plan, misfire, at)
                  : scheduler::misfired_ids(series.plan, misfire, at, diff->overdue);
  Result<std::size_t> missed = outbox_.mark_missed(
      late, at, misfire_all ? store::Outbox::MissScope::unsent : store::Outbox::MissScope::untried);
  if (!missed) return missed.error();
  if (*missed > 0) {
    spdlog::warn("series {}: {} notifications {} and are too late to send (missed)",
                 series.series.id, *missed,
                 startup ? "came due while the daemon was down"
                         : "came due while the series was not in force");
  }
  return {};
}

// Series the outbox knows but no loaded file serves: held, or (at start-up,
// when no file could hide them) forgotten as removed.
Status SeriesLoader::hold_and_forget(const CatalogLoad& loaded, Occasion occasion,
                                     store::Instant at) {
  Result<std::vector<store::SeriesVersion>> known = outbox_.series_versions();
  if (!known) return known.error();
  std::set<std::string, std::less<>> named_by_broken;
  bool anonymous_broken = false;
  for (const FileLoad& file : loaded.files) {
    if (file.errors.empty()) continue;
    if (file.series_id) {
      named_by_broken.insert(*file.series_id);
    } else {
      anonymous_broken = true;
    }
  }
  std::set<std::string, std::less<>> removed(loaded.removed.begin(), loaded.removed.end());
  std::vector<std::string> held;
  for (const store::SeriesVersion& version : *known) {
    const std::string& id = version.series_id;
    if (catalog_.series(id) != nullptr || removed.contains(id)) continue;
    if (named_by_broken.contains(id) || anonymous_broken) {
      held.push_back(id);
      continue;
    }
    if (occasion == Occasion::startup) {
      // Its file went away while the daemon was down.
      Result<store::PlanDiff> diff = outbox_.apply_plan(id, {}, at);
      if (!diff) return diff.error();
      if (!diff->superseded.empty()) {
        spdlog::info("series {}: no file serves it any more; {} pending notifications superseded",
                     id, diff->superseded.size());
      }
    }
  }
  for (const std::string& id : held) {
    spdlog::warn("series {}: not in force (its file does not load); its notifications wait", id);
  }
  held_broken_ = std::move(held);
  return hold();
}

Status SeriesLoader::hold() {
  std::vector<std::string> held = held_broken_;
  held.insert(held.end(), waiting_.begin(), waiting_.end());
  return outbox_.hold_series(held);
}

Status SeriesLoader::remove_series(const std::string& id, store::Instant at) {
  Result<store::PlanDiff> diff = outbox_.apply_plan(id, {}, at);
  if (!diff) return Error{"series " + id + ": " + diff.error().message, diff.error().code};
  spdlog::info("series {}: its file is gone; {} pending notifications superseded", id,
               diff->superseded.size());
  return {};
}

std::size_t SeriesLoader::store_waiting(store::Instant at) {
  std::size_t stored = 0;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const LoadedSeries* series = catalog_.series(*it);
    // Held while it waited: it comes into force now, as after a fixed file.
    Status done = series != nullptr ? store_series(*series, false, true, at)
                                    : remove_series(*it, at);
    if (!done) {
      spdlog::warn("{} (still waiting for the outbox)", done.error().message);
      if (done.error().code == ErrorCode::unavailable) return stored;  // the disk, not the series
      ++it;
      continue;
    }
    spdlog::info("series {}: stored now that the outbox can write again", *it);
    it = waiting_.erase(it);
    ++stored;
  }
  if (stored > 0) {
    if (Status held = hold(); !held) spdlog::error("outbox: {}", held.error().message);
  }
  return stored;
}

Result<admin::ReloadReport> SeriesLoader::load(Occasion occasion, store::Instant at) {
  admin::ReloadReport report;
  report.at = at;
  std::set<std::string, std::less<>> in_force_before;
  for (const LoadedSeries* series : catalog_.all()) in_force_before.insert(series->series.id);

  Result<CatalogLoad> loaded = catalog_.load_directory(config_.daemon.series_dir);
  if (!loaded) {
    report.error = loaded.error().message;
    ++failed_files_;
    if (occasion == Occasion::startup) return loaded.error();
    spdlog::error("reload: {}", loaded.error().message);
    return report;
  }

  for (const FileLoad& file : loaded->files) {
    admin::FileReport& file_report = report.files.emplace_back(report_of(file));
    if (!file.errors.empty()) {
      ++failed_files_;
      for (const std::string& line : file.errors) spdlog::error("{}", line);
      spdlog::warn("{}: not loaded ({} problems){}", file.file.string(), file.errors.size(),
                   file.kept_previous ? "; its previous version stays in force" : "");
      if (file.series_id) {
        Status put = outbox_.put_series_version(store::SeriesVersion{
            *file.series_id, file.content_hash, at, false, joined(file.errors)});
        if (!put) spdlog::error("outbox: {}", put.error().message);
      }
      continue;
    }
    const LoadedSeries& series = *catalog_.series(*file.series_id);
    // A series waiting for the store has been held: it comes into force now.
    const bool misfire_all = occasion == Occasion::startup ||
                             !in_force_before.contains(series.series.id) ||
                             waiting_.contains(series.series.id);
    waiting_.erase(series.series.id);
    Status stored = store_series(series, occasion == Occasion::startup, misfire_all, at);
    if (!stored) {
      const bool unavailable = stored.error().code == ErrorCode::unavailable;
      if (occasion == Occasion::startup && !unavailable) return stored.error();
      spdlog::error("{}", stored.error().message);
      file_report.ok = false;
      file_report.errors.push_back(stored.error().message);
      ++failed_files_;
      if (unavailable) {
        waiting_.insert(series.series.id);
        file_report.errors.push_back(file.file.string() +
                                     ": its notifications wait; the plan is stored as soon as the "
                                     "outbox can write again");
      }
    }
  }
  for (const std::string& removed : loaded->removed) {
    waiting_.erase(removed);
    if (Status done = remove_series(removed, at); !done) {
      const bool unavailable = done.error().code == ErrorCode::unavailable;
      if (occasion == Occasion::startup && !unavailable) return done.error();
      spdlog::error("{}", done.error().message);
      if (unavailable) waiting_.insert(removed);
    }
  }
  report.removed = loaded->removed;
  if (Status held = hold_and_forget(*loaded, occasion, at); !held) {
    if (occasion == Occasion::startup) return held.error();
    spdlog::error("outbox: {}", held.error().message);
  }
  return report;
}

}  // namespace kutsu::cli
