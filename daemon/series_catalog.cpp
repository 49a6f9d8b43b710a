#include "daemon/series_catalog.h"

#include <algorithm>
#include <array>

#include <openssl/evp.h>

#include "agenda/series_parser.h"
#include "base/input_file.h"

namespace kutsu::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> sha256_of(const std::string& content, const fs::path& file) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(content.data(), content.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
      1) {
    return Error{"SHA-256 failed for " + file.string()};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::vector<std::string> lines_of(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

}  // namespace

SeriesCatalog::SeriesCatalog(std::set<std::string, std::less<>> webhook_names)
    : webhook_names_(std::move(webhook_names)) {}

Result<CatalogLoad> SeriesCatalog::load_directory(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".toml") files.push_back(it->path());
  }
  if (error) return Error{dir.string() + ": cannot list the series folder: " + error.message()};
  std::sort(files.begin(), files.end());

  CatalogLoad result;
  std::map<std::string, std::unique_ptr<LoadedSeries>, std::less<>> next;
  std::map<std::string, fs::path> file_of_id;
  for (const fs::path& file : files) {
    FileLoad& outcome = result.files.emplace_back();
    outcome.file = file;
    // One read serves the hash and the parse, so both see the same bytes.
    Result<std::string> text = read_input_file(file, kSeriesFile);
    if (!text) {
      outcome.errors.push_back(file.string() + ": error: " + text.error().message);
      continue;
    }
    Result<std::string> hash = sha256_of(*text, file);
    if (!hash) {
      outcome.errors.push_back(file.string() + ": error: " + hash.error().message);
      continue;
    }
    outcome.content_hash = *hash;

    agenda::SeriesLoad load = agenda::parse_series(*text, file);
    if (!load.series) {
      outcome.errors = lines_of(load.diagnostics);
      if (outcome.errors.empty()) outcome.errors.push_back(file.string() + ": error: not loaded");
      continue;
    }
    auto loaded = std::make_unique<LoadedSeries>();
    loaded->file = file;
    loaded->content_hash = *hash;
    loaded->series = std::move(*load.series);
    outcome.series_id = loaded->series.id;
    loaded->plan = scheduler::plan_series(loaded->series);
    Diagnostics problems = loaded->plan.diagnostics;
    for (const agenda::NameRef& webhook : loaded->series.webhooks) {
      if (!webhook_names_.contains(webhook.name)) {
        problems.push_back(
            Diagnostic{file.string(), webhook.pos,
                       "unknown webhook '" + webhook.name +
                           "': the daemon config defines no [[webhook]] of that name"});
      }
    }
    if (auto [other, inserted] = file_of_id.emplace(loaded->series.id, file); !inserted) {
      problems.push_back(Diagnostic{file.string(),
                                    {},
                                    "series id '" + loaded->series.id + "' is also the id of " +
                                        other->second.string() + "; each series needs its own id"});
    }
    if (!problems.empty()) {
      outcome.errors = lines_of(problems);
      continue;
    }
    const LoadedSeries* previous = series(loaded->series.id);
    outcome.changed = previous == nullptr || previous->content_hash != loaded->content_hash;
    next.emplace(loaded->series.id, std::move(loaded));
  }

  // A broken file keeps the version of its series it had before.
  for (FileLoad& outcome : result.files) {
    if (outcome.errors.empty()) continue;
    for (auto& [id, loaded] : by_id_) {
      if (loaded && loaded->file == outcome.file && !next.contains(id)) {
        outcome.series_id = id;
        outcome.kept_previous = true;
        next.emplace(id, std::move(loaded));
        break;
      }
    }
  }
  for (const auto& [id, loaded] : by_id_) {
    if (loaded && !next.contains(id)) result.removed.push_back(id);
  }
  drop_index();
  by_id_ = std::move(next);
  return result;
}

void SeriesCatalog::drop_index() {
  index_ = {};  // frees it: clear() would keep the capacity
  index_stale_ = true;
}

const std::vector<SeriesCatalog::IndexEntry>& SeriesCatalog::index() const {
  if (!index_stale_) return index_;
  std::size_t size = 0;
  for (const auto& [id, loaded] : by_id_) {
    size += loaded->plan.notifications.size() + loaded->updates.size();
  }
  index_.reserve(size);
  for (const auto& [id, loaded] : by_id_) {
    for (const scheduler::Notification& notification : loaded->plan.notifications) {
      index_.push_back({notification.id, Found{&notification, loaded.get()}});
    }
    for (const scheduler::Notification& update : loaded->updates) {
      index_.push_back({update.id, Found{&update, loaded.get()}});
    }
  }
  std::sort(index_.begin(), index_.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.id < b.id; });
  index_stale_ = false;
  return index_;
}

void SeriesCatalog::set_session_changes(std::string_view id, scheduler::SessionChanges changes) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  LoadedSeries& loaded = *it->second;
  drop_index();
  loaded.updates = std::move(changes.updates);
  loaded.sequences = std::move(changes.sequences);
  loaded.previous_times = std::move(changes.previous_times);
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
  const std::optional<scheduler::NotificationId> id =
      scheduler::NotificationId::parse(notification_id);
  if (!id) return std::nullopt;
  const std::vector<IndexEntry>& entries = index();
  auto it = std::lower_bound(entries.begin(), entries.end(), *id,
                             [](const IndexEntry& entry, const scheduler::NotificationId& wanted) {
                               return entry.id < wanted;
                             });
  if (it == entries.end() || it->id != *id) return std::nullopt;
  return it->found;
}

}  // namespace kutsu::cli
