#include "service/series_dir_load.h"

#include <algorithm>
#include <span>
#include <utility>

#include <spdlog/spdlog.h>

#include "scheduler/misfire_rule.h"
#include "scheduler/outbox_rows.h"
#include "scheduler/session_changes.h"
#include "service/plan_digest.h"

namespace kutsu::service {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

std::vector<std::string> lines_of(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

Result<std::vector<fs::path>> series_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".toml") files.push_back(it->path());
  }
  if (error) return Error{dir.string() + ": cannot list the series folder: " + error.message()};
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> removed_ids(const std::vector<agenda::Session>& sessions) {
  std::vector<std::string> ids;
  for (const agenda::Session& session : sessions) ids.push_back(session.id);
  return ids;
}

// One load, with the outbox connection it writes through.
class DirectoryLoad {
 public:
  DirectoryLoad(LoadStore& outbox, LoadRequest request)
      : outbox_(outbox), request_(std::move(request)) {
    outcome_.report.at = request_.at;
    outcome_.waiting = request_.waiting;
  }

  LoadOutcome run() {
    Result<std::vector<fs::path>> files = series_files(request_.series_dir);
    if (!files) return folder_failed(files.error());
    const agenda::SeriesOptions options{agenda::PlanUntil::horizon(
        std::chrono::floor<std::chrono::seconds>(request_.at), request_.plan_horizon)};
    std::vector<SeriesFileLoad> loads = load_series_files(*files, request_.webhooks, options);
    Result<store::PlanGeneration> generation = outbox_.next_plan_generation();
    if (!generation) return nothing_stored(loads, generation.error());
    outcome_.generation = *generation;

    build_next(std::move(loads));
    for (model::FileReport& file : outcome_.report.files) {
      if (!file.ok) {
        report_broken(file);
      } else if (Status stored = store_file(file); !stored) {
        return store_failed(stored.error());
      }
    }
    for (const std::string& removed : outcome_.report.removed) {
      outcome_.waiting.erase(removed);
      if (Status done = remove(removed); !done && !wait_for_store(removed, done.error())) {
        return store_failed(done.error());
      }
    }
    if (Status held = hold_and_forget(); !held) {
      if (startup()) return store_failed(held.error());
      spdlog::error("outbox: {}", held.error().message);
    }
    return std::move(outcome_);
  }

 private:
  bool startup() const { return request_.occasion == LoadOccasion::startup; }

  LoadOutcome folder_failed(const Error& error) {
    spdlog::error("{}", error.message);
    outcome_.report.error = error.message;
    ++outcome_.failed_files;
    if (startup()) outcome_.fatal = error;
    // Nothing changes: the catalog in force stays, and so do the holds.
    outcome_.next = request_.in_force;
    outcome_.keep_holds = true;
    return std::move(outcome_);
  }

  // At start-up the daemon must not serve; at a reload the catalog in force stays.
  LoadOutcome store_failed(const Error& error) {
    if (startup()) outcome_.fatal = error;
    spdlog::error("outbox: {}", error.message);
    outcome_.report.error = error.message;
    return std::move(outcome_);
  }

  // The outbox could not even start a load: the catalog in force stays (and
  // with it the holds), and the series that are new or changed wait for the
  // store; a later load stores them.
  LoadOutcome nothing_stored(const std::vector<SeriesFileLoad>& loads, const Error& error) {
    if (startup() && error.code != ErrorCode::unavailable) return store_failed(error);
    spdlog::error("outbox: {}", error.message);
    outcome_.report.error = error.message;
    outcome_.next = request_.in_force;
    outcome_.keep_holds = true;
    for (const SeriesFileLoad& load : loads) {
      if (!load.loaded) continue;
      const std::string& id = load.loaded->series.id;
      auto in_force = request_.in_force.find(id);
      if (in_force == request_.in_force.end() ||
          in_force->second->content_hash != load.content_hash) {
        outcome_.waiting.insert(id);
      }
    }
    return std::move(outcome_);
  }

  // The next catalog: every valid file's series, and for a broken file the
  // version of its series in force, if any.
  void build_next(std::vector<SeriesFileLoad> loads) {
    for (SeriesFileLoad& load : loads) {
      model::FileReport& file = outcome_.report.files.emplace_back();
      file.file = load.file;
      file.series_id = load.series_id;
      content_hash_[load.file] = load.content_hash;
      if (!load.loaded) {
        file.ok = false;
        file.errors = lines_of(load.problems);
        continue;
      }
      const std::string& id = load.loaded->series.id;
      auto previous = request_.in_force.find(id);
      file.changed = previous == request_.in_force.end() ||
                     previous->second->content_hash != load.content_hash;
      fresh_.emplace(id, std::move(load.loaded));
    }
    for (model::FileReport& file : outcome_.report.files) {
      if (file.ok) continue;
      for (const auto& [id, loaded] : request_.in_force) {
        if (loaded->file == file.file && !fresh_.contains(id) && !outcome_.next.contains(id)) {
          file.series_id = id;
          file.kept_previous = true;
          outcome_.next.emplace(id, loaded);
          break;
        }
      }
    }
    for (const auto& [id, loaded] : request_.in_force) {
      if (!fresh_.contains(id) && !outcome_.next.contains(id)) {
        outcome_.report.removed.push_back(id);
      }
    }
  }

  void report_broken(model::FileReport& file) {
    ++outcome_.failed_files;
    for (const std::string& line : file.errors) spdlog::error("{}", line);
    spdlog::warn("{}: not loaded ({} problems){}", file.file.string(), file.errors.size(),
                 file.kept_previous ? "; its previous version stays in force" : "");
    if (!file.series_id) return;
    Status put = outbox_.put_series_version(store::SeriesVersion{
        *file.series_id, content_hash_[file.file], request_.at, false, joined(file.errors)});
    if (!put) spdlog::error("outbox: {}", put.error().message);
  }

  // A disk failure leaves the series waiting; anything else at start-up is fatal.
  bool wait_for_store(const std::string& id, const Error& error) {
    if (error.code != ErrorCode::unavailable && startup()) return false;
    spdlog::error("{}", error.message);
    if (error.code == ErrorCode::unavailable) outcome_.waiting.insert(id);
    return true;
  }

  Status store_file(model::FileReport& file) {
    const std::string& id = *file.series_id;
    std::shared_ptr<LoadedSeries> series = fresh_.at(id);
    // A series waiting for the store was held: it comes into force now.
    const bool waited = outcome_.waiting.contains(id);
    const bool misfire_all = startup() || !request_.in_force.contains(id) || waited;
    outcome_.waiting.erase(id);
    Status stored = store_series(*series, misfire_all, file.notices);
    if (stored && waited) spdlog::info("series {}: stored now that the outbox can write again", id);
    if (!stored) {
      if (!wait_for_store(id, stored.error())) return stored;
      file.ok = false;
      file.errors.push_back(stored.error().message);
      ++outcome_.failed_files;
      if (outcome_.waiting.contains(id)) {
        file.errors.push_back(file.file.string() +
                              ": its notifications wait; the plan is stored as soon as the "
                              "outbox can write again");
      }
    }
    outcome_.next.emplace(id, std::move(series));
    return {};
  }

  // Session versions → SEQUENCE and update notices (scheduler/session_changes.h).
  Status apply_session_changes(LoadedSeries& series, std::vector<std::string>& notices) {
    const std::string& id = series.series.id;
    Result<std::vector<store::SessionVersion>> stored = outbox_.session_versions(id);
    if (!stored) return stored.error();
    Result<bool> invitation_sent = outbox_.invitation_sent(id);
    if (!invitation_sent) return invitation_sent.error();
    scheduler::SessionChanges changes = scheduler::compare_sessions(
        series.plan, *stored, *invitation_sent,
        scheduler::ChangeClock{std::chrono::floor<std::chrono::seconds>(request_.at),
                               request_.cancel_delay});
    // Cancellations written into the file are due when this reload found them.
    scheduler::date_cancellations(series.plan, changes);
    // A series called off before anyone was invited tells no one.
    if (series.series.cancelled && !*invitation_sent) {
      std::erase_if(series.plan.notifications, [](const model::Notification& n) {
        return n.kind == model::NotificationKind::cancellation;
      });
    }
    for (const store::SessionVersion& version : changes.changed) {
      if (Status put = outbox_.put_session_version(version); !put) return put;
      if (version.sequence > 0) {
        spdlog::info("series {}: session {} {} after the invitation went out (SEQUENCE {})", id,
                     version.session_id, version.cancelled ? "was cancelled" : "moved",
                     version.sequence);
      }
    }
    series.updates = std::move(changes.updates);
    series.removed_sessions = std::move(changes.removed);
    if (!changes.cancellations.empty()) {
      // Said before it goes out (in the log and the reload's answer), so
      // that a mistake can be undone in time.
      const std::string notice =
          fmt::format("{} removed after the invitation went out; {} cancellations will be sent at {} "
                      "unless the file has it again by then",
                      fmt::join(removed_ids(series.removed_sessions), ", "), changes.cancellations.size(),
                      date::format("%FT%TZ", changes.cancellations.front().due));
      spdlog::warn("series {}: {}", id, notice);
      notices.push_back(notice);
    }
    series.updates.insert(series.updates.end(), changes.cancellations.begin(),
                          changes.cancellations.end());
    series.sequences = std::move(changes.sequences);
    series.previous_times = std::move(changes.previous_times);
    return {};
  }

  Status store_series(LoadedSeries& series, bool misfire_all, std::vector<std::string>& notices) {
    auto in_file = [&](const Error& error) {
      return Error{series.file.string() + ": " + error.message, error.code};
    };
    if (Status changes = apply_session_changes(series, notices); !changes) {
      return in_file(changes.error());
    }
    const scheduler::NotificationRows rows(series.plan.notifications, series.updates);
    Result<std::string> digest = plan_digest(series.content_hash, rows);
    if (!digest) spdlog::warn("series {}: {}; its plan is compared in full", series.series.id,
                              digest.error().message);
    Result<store::PlanDiff> diff = outbox_.apply_plan(
        series.series.id, series.content_hash, rows, request_.at,
        store::ApplyOptions{outcome_.generation, request_.rows_per_transaction,
                            digest ? *digest : std::string()});
    if (!diff) return in_file(diff.error());
    Status put = outbox_.put_series_version(
        store::SeriesVersion{series.series.id, series.content_hash, request_.at, true, ""});
    if (!put) return in_file(put.error());
    if (diff->same_plan) {
      spdlog::info("series {} from {}: {} notifications, planned as when last stored",
                   series.series.id, series.file.string(), rows.size());
    } else {
      spdlog::info(
          "series {} from {}: {} notifications ({} new, {} rescheduled, {} revived, {} superseded)",
          series.series.id, series.file.string(), rows.size(), diff->inserted, diff->rescheduled,
          diff->revived, diff->superseded.size());
    }

    // A series in service had its overdue rows handled as they came due:
    // only what this plan just made overdue needs the rule. Otherwise every
    // unsent row that came due meanwhile does (not the plan's every past
    // notification: most were sent or missed long ago).
    std::vector<std::string> candidates = std::move(diff->overdue);
    if (misfire_all) {
      Result<std::vector<std::string>> overdue =
          outbox_.overdue_unsent(series.series.id, request_.at);
      if (!overdue) return in_file(overdue.error());
      candidates = std::move(*overdue);
    }
    const std::vector<std::string> late = scheduler::misfired_ids(
        series.plan, scheduler::MisfireRule{request_.misfire_grace}, request_.at, candidates);
    Result<std::size_t> missed =
        outbox_.mark_missed(late, request_.at,
                            misfire_all ? store::Outbox::MissScope::unsent
                                        : store::Outbox::MissScope::untried);
    if (!missed) return in_file(missed.error());
    if (*missed > 0) {
      spdlog::warn("series {}: {} notifications {} and are too late to send (missed)",
                   series.series.id, *missed,
                   startup() ? "came due while the daemon was down"
                             : "came due while the series was not in force");
    }
    return {};
  }

  Status remove(const std::string& id) {
    Result<store::PlanDiff> diff = outbox_.apply_plan(
        id, "", NoRows(), request_.at,
        store::ApplyOptions{outcome_.generation, request_.rows_per_transaction});
    if (!diff) return Error{"series " + id + ": " + diff.error().message, diff.error().code};
    spdlog::info("series {}: its file is gone; {} pending notifications superseded", id,
                 diff->superseded.size());
    return {};
  }

  // Series the outbox knows but no loaded file serves: held, or (at
  // start-up, when no broken file could be theirs) removed.
  Status hold_and_forget() {
    Result<std::vector<store::SeriesVersion>> known = outbox_.series_versions();
    if (!known) return known.error();
    std::set<std::string, std::less<>> named_by_broken;
    bool anonymous_broken = false;
    for (const model::FileReport& file : outcome_.report.files) {
      if (file.ok || file.kept_previous) continue;
      if (file.series_id) {
        named_by_broken.insert(*file.series_id);
      } else {
        anonymous_broken = true;
      }
    }
    const std::set<std::string, std::less<>> removed(outcome_.report.removed.begin(),
                                                     outcome_.report.removed.end());
    for (const store::SeriesVersion& version : *known) {
      const std::string& id = version.series_id;
      if (outcome_.next.contains(id) || removed.contains(id)) continue;
      if (named_by_broken.contains(id) || anonymous_broken) {
        spdlog::warn("series {}: not in force (its file does not load); its notifications wait",
                     id);
        outcome_.held.push_back(id);
        continue;
      }
      if (startup()) {
        // Its file went away while the daemon was down.
        Result<store::PlanDiff> diff = outbox_.apply_plan(id, "", NoRows(), request_.at, {});
        if (!diff) return diff.error();
        if (!diff->superseded.empty()) {
          spdlog::info("series {}: no file serves it any more; {} pending notifications superseded",
                       id, diff->superseded.size());
        }
      }
    }
    outcome_.held.insert(outcome_.held.end(), outcome_.waiting.begin(), outcome_.waiting.end());
    return {};
  }

  LoadStore& outbox_;
  LoadRequest request_;
  LoadOutcome outcome_;
  std::map<std::string, std::shared_ptr<LoadedSeries>, std::less<>> fresh_;
  std::map<fs::path, std::string> content_hash_;
};

}  // namespace

LoadOutcome load_series_dir(LoadStore& outbox, LoadRequest request) {
  LoadOutcome outcome = DirectoryLoad(outbox, std::move(request)).run();
  outcome.index = SeriesCatalog::index_of(outcome.next);
  return outcome;
}

}  // namespace kutsu::service
