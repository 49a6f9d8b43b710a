// `kutsu check FILE…`: parse each series file (and its participants CSV),
// then apply the time rules and the planner's checks; print every problem.
#include <iostream>
#include <memory>

#include "daemon/commands.h"
#include "daemon/series_files.h"

namespace kutsu::daemon {

void add_check_command(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("check", "Validate series files and the participants CSV they name");
  command->footer(
      "Every problem in every file is printed to stderr as FILE:LINE:COLUMN: error: MESSAGE:\n"
      "the format rules, times that do not exist or occur twice in the series time zone\n"
      "(daylight saving changes), reminders that fall at or after their session's start and\n"
      "an invitation that is not before the first session. For each valid file one line\n"
      "with its counts goes to stdout.\n"
      "Exit status: 0 all files valid, 1 a file is invalid, 2 usage error.");
  auto files = std::make_shared<std::vector<std::string>>();
  command->add_option("FILE", *files, "Series file(s) (.toml)")->required();

  command->callback([files, exit_code] {
    PlannedFiles planned = load_and_plan(*files, std::cerr);
    for (const auto& valid : planned.valid) {
      std::cout << valid->file.string() << ": ok, " << valid->series.sessions.size() << " sessions, "
                << valid->plan.notifications.size() << " notifications\n";
    }
    std::cout.flush();
    *exit_code = planned.all_valid && std::cout.good() ? 0 : 1;
  });
}

}  // namespace kutsu::daemon
