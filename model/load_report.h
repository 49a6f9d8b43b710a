// LoadReport: what one load of series_dir did (at start-up, on SIGHUP or
// POST /api/v1/reload), file by file, and ReloadQueued: how a request for a
// load was taken.
//
// Why here: service/ makes them (service/series_dir_load.h,
// service/reloader.h) and admin/ answers them as JSON (admin/api_json.h,
// admin/daemon_view.h); neither may include the other, and daemon/ used to
// translate a twin of each field by field. model/ is the lowest folder both
// reach (service through scheduler/ or notifier/, admin through scheduler/)
// that holds the daemon's own value types; base/ is for what every layer
// shares, store/ for the outbox, agenda/ for what a series file says, not
// what loading it did. With one type, there is nothing to translate.
//
// Plain values; `file` is a std::filesystem::path because the service
// compares it with the catalog's files and keys content hashes by it; the
// admin API writes it as file.string().
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kutsu::model {

// What one series file did at a load.
struct FileReport {
  std::filesystem::path file;            // series_dir / the file's name
  std::optional<std::string> series_id;  // when the file named one
  bool ok = true;                        // loaded and stored
  bool changed = false;                  // a valid file whose content differs from before
  bool kept_previous = false;            // broken, and its previous version stays in force
  std::vector<std::string> errors;       // "FILE:LINE:COLUMN: error: MESSAGE", one each
  // What the load will do that people should see before it happens:
  // "toka removed after the invitation went out; 2 cancellations will be
  // sent at 2026-02-01T10:10:00Z unless the file has it again by then".
  std::vector<std::string> notices;
};

struct LoadReport {
  std::chrono::sys_seconds at;  // the same type as store::Instant
  // Set when nothing changed: the folder could not be listed, or the outbox
  // could not start the load (the series then wait for it).
  std::optional<std::string> error;
  std::vector<FileReport> files;     // in file name order
  std::vector<std::string> removed;  // series whose file is gone
  bool ok() const {
    if (error) return false;
    return std::all_of(files.begin(), files.end(), [](const FileReport& file) { return file.ok; });
  }
};

// How a request for a load was taken: a load started for it, it waits for
// the running one to finish, or it merged into a request already waiting
// (service/reloader.h says why loads never overlap).
enum class ReloadQueued { started, waiting, merged };

}  // namespace kutsu::model
