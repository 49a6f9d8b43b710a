// `kutsu serve --config FILE`: the daemon (daemon.h). main only parses the
// command line; everything else happens in Daemon::run().
#include <iostream>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "config/daemon_config.h"
#include "daemon/commands.h"
#include "daemon/daemon.h"
#include "model/time_format.h"

namespace kutsu::daemon {
namespace {

struct ServeArguments {
  std::string config;
  std::string clock_start;
};

// journald stamps each line itself and reads the level from the text; a
// plain stderr line also reads well in a terminal or a test log.
void log_to_stderr() {
  auto logger = spdlog::stderr_logger_mt("kutsu");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

void add_serve_command(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("serve", "Run the daemon: send every notification on time");
  command->footer(
      "Reads the daemon config (kutsu.toml), serves every *.toml of its series_dir and\n"
      "keeps the outbox in state_dir. SIGHUP reloads the series; SIGTERM or SIGINT stops\n"
      "after the sends in flight (at most 10 s).\n"
      "Exit status: 0 stopped by a signal, 1 could not start, 2 usage error.");
  auto args = std::make_shared<ServeArguments>();
  command->add_option("--config", args->config, "The daemon config (kutsu.toml)")->required();
  command
      ->add_option("--clock-start", args->clock_start,
                   "For tests and demos: start the clock at this instant (RFC 3339); it runs "
                   "at real speed from there")
      ->check(CLI::Validator(
          [](std::string& text) {
            Result<date::sys_seconds> at = model::parse_rfc3339(text);
            return at ? std::string() : at.error().message;
          },
          "RFC3339"));

  command->callback([args, exit_code] {
    log_to_stderr();
    config::ConfigLoad config = config::load_config(args->config);
    if (!config.config) {
      for (const Diagnostic& diagnostic : config.diagnostics) {
        std::cerr << diagnostic.to_string() << '\n';
      }
      *exit_code = 1;
      return;
    }
    DaemonOptions options{std::move(*config.config), std::nullopt};
    if (!args->clock_start.empty()) {
      options.clock_start = *model::parse_rfc3339(args->clock_start);  // validated
    }
    Daemon daemon(std::move(options));
    *exit_code = daemon.run();
  });
}

}  // namespace kutsu::daemon
