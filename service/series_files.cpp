#include "service/series_files.h"

#include <filesystem>
#include <ostream>

namespace kutsu::service {

PlannedFiles load_and_plan(const std::vector<std::string>& files, std::ostream& errors,
                           const agenda::SeriesOptions& options,
                           const WebhookNames& webhooks) {
  const std::vector<std::filesystem::path> paths(files.begin(), files.end());
  PlannedFiles result;
  for (SeriesFileLoad& load : load_series_files(paths, webhooks, options)) {
    for (const Diagnostic& diagnostic : load.problems) {
      errors << diagnostic.to_string() << '\n';
      result.all_valid = false;
    }
    if (load.loaded) result.valid.push_back(std::move(load.loaded));
  }
  return result;
}

}  // namespace kutsu::service
