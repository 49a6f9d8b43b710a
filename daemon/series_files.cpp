#include "daemon/series_files.h"

#include <map>
#include <ostream>

#include "agenda/series_parser.h"

namespace kutsu::cli {

PlannedFiles load_and_plan(const std::vector<std::string>& files, std::ostream& errors) {
  PlannedFiles result;
  std::map<std::string, std::string> file_of_id;
  auto report = [&](const Diagnostic& diagnostic) {
    errors << diagnostic.to_string() << '\n';
    result.all_valid = false;
  };

  for (const std::string& file : files) {
    agenda::SeriesLoad load = agenda::load_series(file);
    for (const Diagnostic& diagnostic : load.diagnostics) report(diagnostic);
    if (!load.series) {
      if (load.diagnostics.empty()) report(Diagnostic{file, {}, "could not be read"});
      continue;
    }

    auto planned = std::make_unique<PlannedSeries>();
    planned->file = file;
    planned->series = std::move(*load.series);
    planned->plan = scheduler::plan_series(planned->series);
    for (const Diagnostic& diagnostic : planned->plan.diagnostics) report(diagnostic);

    auto [previous, inserted] = file_of_id.emplace(planned->series.id, file);
    if (!inserted) {
      report(Diagnostic{file,
                        {},
                        "series id '" + planned->series.id + "' is also the id of " +
                            previous->second + "; each series needs its own id"});
      continue;
    }
    if (planned->plan.diagnostics.empty()) result.valid.push_back(std::move(planned));
  }
  return result;
}

}  // namespace kutsu::cli
