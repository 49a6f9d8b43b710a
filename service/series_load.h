// Loading one series the way every command and the daemon do: read the file
// (bounded, base/input_file.h), hash the bytes read, parse them with the
// participants CSV they name, plan, and check what only the daemon config
// knows (webhook names). `kutsu check`, `plan`, `preview` and `serve` all
// load through load_series_files(), so they agree on what is valid.
//
// A LoadedSeries keeps its Series and Plan together at a fixed address (the
// Plan's notifications point into the Series) and is shared, immutable
// once built, between the catalog in force and a reload being prepared.
//
// Pure functions of the files: thread-safe, no outbox, no event loop.
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
#include "agenda/series_parser.h"
#include "base/diagnostic.h"
#include "model/notification.h"
#include "model/series_times.h"
#include "scheduler/planner.h"

namespace kutsu::service {

struct LoadedSeries {
  std::filesystem::path file;
  std::string content_hash;  // SHA-256 of the file's bytes, hex
  agenda::Series series;
  scheduler::Plan plan;
  // From the outbox's session versions (scheduler/session_changes.h), set
  // while a load is stored: updates for moved sessions, the iCalendar
  // SEQUENCE of each session, and where moved sessions were before.
  std::vector<model::Notification> updates;
  // Sessions gone from the file after their invitation went out, kept as
  // cancelled sessions for their cancellations (which are in `updates` and
  // point here).
  std::vector<agenda::Session> removed_sessions;
  std::map<std::string, int, std::less<>> sequences;
  std::map<std::string, model::TimeSpan, std::less<>> previous_times;

  // The iCalendar SEQUENCE a session is at (0 until it changed).
  int sequence_of(std::string_view session_id) const {
    auto it = sequences.find(session_id);
    return it == sequences.end() ? 0 : it->second;
  }
};

// What loading one file gave.
struct SeriesFileLoad {
  std::filesystem::path file;
  std::optional<std::string> series_id;  // when the file named one
  std::string content_hash;              // empty when the file could not be read
  std::shared_ptr<LoadedSeries> loaded;  // set iff problems is empty
  Diagnostics problems;                  // parser's, then planner's, then the daemon's
};

// The webhook endpoints of the daemon config; none given: not checked
// (`kutsu check` without a config).
using WebhookNames = std::optional<std::set<std::string, std::less<>>>;

// Every file in order, each with its problems; a series id used by an
// earlier file is a problem of the later one (their notification ids would
// collide).
// `options` says how far recurring sessions are planned (by default up to
// now + P400D).
std::vector<SeriesFileLoad> load_series_files(
    const std::vector<std::filesystem::path>& files, const WebhookNames& webhooks,
    const agenda::SeriesOptions& options = agenda::SeriesOptions::from_clock());

}  // namespace kutsu::service
