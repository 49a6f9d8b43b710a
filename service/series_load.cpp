#include "service/series_load.h"

#include <array>

#include <openssl/evp.h>

#include "agenda/series_parser.h"
#include "base/input_file.h"

namespace kutsu::service {
namespace {

namespace fs = std::filesystem;

Result<std::string> sha256_hex(const std::string& bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return Error{"SHA-256 failed"};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
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
    load.problems = std::move(parsed.diagnostics);
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
  if (webhooks) {
    for (const agenda::NameRef& webhook : loaded->series.webhooks) {
      if (!webhooks->contains(webhook.name)) {
        load.problems.push_back(
            Diagnostic{file.string(), webhook.pos,
                       "unknown webhook '" + webhook.name +
                           "': the daemon config defines no [[webhook]] of that name"});
      }
    }
  }
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
