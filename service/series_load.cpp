#include "service/series_load.h"

#include <algorithm>
#include <iterator>

#include "agenda/series_parser.h"
#include "base/input_file.h"
#include "base/sha256.h"
#include "model/series_times.h"

namespace kutsu::service {
namespace {

namespace fs = std::filesystem;

// Webhook names the series uses that the daemon config does not define.
void check_webhooks(const fs::path& file, const agenda::Series& series,
                    const WebhookNames& webhooks, Diagnostics& problems) {
  if (!webhooks) return;
  for (const agenda::NameRef& webhook : series.webhooks) {
    if (!webhooks->contains(webhook.name)) {
      problems.push_back(Diagnostic{file.string(), webhook.pos,
                                    "unknown webhook '" + webhook.name +
                                        "': the daemon config defines no [[webhook]] of that name"});
    }
  }
}

// A file that did not parse: its parse errors, and beside them, in file
// order, what can still be told safely — the times of the sessions that
// parsed (a DST gap or fold) and unknown webhook names — so that one run
// shows every problem. Nothing is planned from it.
Diagnostics problems_of_unparsed(const fs::path& file, agenda::SeriesLoad& parsed,
                                 const WebhookNames& webhooks) {
  Diagnostics problems = std::move(parsed.diagnostics);
  if (!parsed.checkable) return problems;
  Diagnostics more = model::convert_times(*parsed.checkable).diagnostics;
  check_webhooks(file, *parsed.checkable, webhooks, more);
  if (more.empty()) return problems;
  // The series file's problems by place; the participants CSV's stay last.
  auto csv = std::stable_partition(problems.begin(), problems.end(), [&](const Diagnostic& d) {
    return d.file == file.string();
  });
  Diagnostics others(std::make_move_iterator(csv), std::make_move_iterator(problems.end()));
  problems.erase(csv, problems.end());
  problems.insert(problems.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  std::stable_sort(problems.begin(), problems.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.column < b.pos.column;
  });
  problems.insert(problems.end(), std::make_move_iterator(others.begin()),
                  std::make_move_iterator(others.end()));
  return problems;
}

SeriesFileLoad load_one(const fs::path& file, const WebhookNames& webhooks,
                        const agenda::SeriesOptions& options) {
  SeriesFileLoad load;
  load.file = file;
  auto problem = [&](std::string message) {
    load.problems.push_back(Diagnostic{file.string(), {}, std::move(message)});
  };
  // One read serves the hash and the parse, so both see the same bytes.
  Result<std::string> text = read_input_file(file, kSeriesFile);
  if (!text) {
    problem(text.error().message);
    return load;
  }
  Result<std::string> hash = sha256_hex(*text);
  if (!hash) {
    problem(hash.error().message);
    return load;
  }
  load.content_hash = *hash;

  agenda::SeriesLoad parsed = agenda::parse_series(*text, file, std::nullopt, options);
  if (!parsed.series) {
    load.problems = problems_of_unparsed(file, parsed, webhooks);
    if (load.problems.empty()) problem("not loaded");
    return load;
  }
  auto loaded = std::make_shared<LoadedSeries>();
  loaded->file = file;
  loaded->content_hash = load.content_hash;
  loaded->series = std::move(*parsed.series);
  load.series_id = loaded->series.id;
  loaded->plan = scheduler::plan_series(loaded->series);
  load.problems = loaded->plan.diagnostics;
  check_webhooks(file, loaded->series, webhooks, load.problems);
  if (load.problems.empty()) load.loaded = std::move(loaded);
  return load;
}

}  // namespace

std::vector<SeriesFileLoad> load_series_files(const std::vector<fs::path>& files,
                                              const WebhookNames& webhooks,
                                              const agenda::SeriesOptions& options) {
  std::vector<SeriesFileLoad> loads;
  std::map<std::string, fs::path, std::less<>> file_of_id;
  for (const fs::path& file : files) {
    SeriesFileLoad& load = loads.emplace_back(load_one(file, webhooks, options));
    if (!load.series_id) continue;
    if (auto [other, inserted] = file_of_id.emplace(*load.series_id, file); !inserted) {
      load.problems.push_back(Diagnostic{file.string(),
                                         {},
                                         "series id '" + *load.series_id + "' is also the id of " +
                                             other->second.string() +
                                             "; each series needs its own id"});
      load.loaded.reset();
    }
  }
  return loads;
}

}  // namespace kutsu::service
