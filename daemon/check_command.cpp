// `kutsu check FILE… [--config kutsu.toml]`: parse each series file (and its
// participants CSV), then apply the time rules and the planner's checks, and
// with --config the daemon's webhook names; print every problem.
#include <iostream>
#include <memory>

#include "config/daemon_config.h"
#include "daemon/commands.h"
#include "service/series_files.h"

namespace kutsu::daemon {

void add_check_command(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("check", "Validate series files and the participants CSV they name");
  command->footer(
      "Every problem in every file is printed to stderr as FILE:LINE:COLUMN: error: MESSAGE:\n"
      "the format rules, times that do not exist or occur twice in the series time zone\n"
      "(daylight saving changes), reminders that fall at or after their session's start and\n"
      "an invitation that is not before the first session. The times of the sessions that\n"
      "parsed are checked even when others did not, so one run shows every problem.\n"
      "With --config, the webhook names the files use must be [[webhook]]s of that daemon\n"
      "config (kutsu.toml); a config that does not load counts as an invalid file. For each\n"
      "valid file one line with its counts goes to stdout.\n"
      "Exit status: 0 all files valid, 1 a file is invalid, 2 usage error.");
  auto files = std::make_shared<std::vector<std::string>>();
  auto config_file = std::make_shared<std::string>();
  command->add_option("FILE", *files, "Series file(s) (.toml)")->required();
  command->add_option("--config", *config_file,
                      "The daemon config (kutsu.toml) whose [[webhook]] names the files may use");

  command->callback([files, config_file, exit_code] {
    service::WebhookNames webhooks;
    bool config_ok = true;
    if (!config_file->empty()) {
      config::ConfigLoad config = config::load_config(*config_file);
      if (config.config) {
        webhooks.emplace();
        for (const config::WebhookEndpoint& webhook : config.config->webhooks) {
          webhooks->insert(webhook.name);
        }
      } else {
        // Its problems, then the files' (without the webhook check).
        for (const Diagnostic& diagnostic : config.diagnostics) {
          std::cerr << diagnostic.to_string() << '\n';
        }
        config_ok = false;
      }
    }
    service::PlannedFiles planned =
        service::load_and_plan(*files, std::cerr, agenda::SeriesOptions::from_clock(), webhooks);
    for (const auto& valid : planned.valid) {
      std::cout << valid->file.string() << ": ok, " << valid->series.sessions.size() << " sessions, "
                << valid->plan.notifications.size() << " notifications\n";
    }
    std::cout.flush();
    *exit_code = planned.all_valid && config_ok && std::cout.good() ? 0 : 1;
  });
}

}  // namespace kutsu::daemon
