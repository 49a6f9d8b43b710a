// `kutsu status [--url U] [--token-file F] [--config FILE]`: asks a running
// daemon's admin API what it is doing and prints a summary for people
// (console/status_request.h, console/status_summary.h). Exit 0 when the
// daemon answered, 1 otherwise.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "console/admin_client.h"
#include "console/status_request.h"
#include "console/status_summary.h"
#include "daemon/commands.h"

namespace kutsu::daemon {
namespace {

int run_status(const console::StatusRequest& args) {
  Result<console::StatusTarget> target = console::resolve_status_target(args);
  if (!target) {
    std::cerr << "kutsu status: " << target.error().message << '\n';
    return 1;
  }
  Result<console::AdminClient> client =
      console::AdminClient::open(target->url, std::move(target->token));
  if (!client) {
    std::cerr << "kutsu status: " << client.error().message << '\n';
    return 1;
  }
  Result<console::StatusAnswers> answers = console::ask_status(
      client->base_url(), [&](std::string_view path) { return client->get(path); });
  if (!answers) {
    std::cerr << "kutsu status: " << answers.error().message << '\n';
    return 1;
  }
  Result<std::string> summary = console::format_status_summary(*answers);
  if (!summary) {
    std::cerr << "kutsu status: " << summary.error().message << '\n';
    return 1;
  }
  if (std::fwrite(summary->data(), 1, summary->size(), stdout) != summary->size() ||
      std::fflush(stdout) != 0) {
    std::cerr << "kutsu status: cannot write the summary\n";
    return 1;
  }
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "status", "Ask a running daemon what it is doing and print a summary for people");
  command->footer(
      "Reads the daemon's admin API (/api/v1/status, /api/v1/series, /api/v1/notifications)\n"
      "and prints: version and uptime, notifications by state, each series with its next\n"
      "session and counts, the next 10 sends, failed and missed notifications (up to 20 of\n"
      "each, newest first) with the server's reply, and the errors of the last reload.\n"
      "Times are shown in each series' own time zone, with their UTC offset.\n"
      "The daemon is --url, else the [http] listen address of --config (for a free\n"
      "port, \"127.0.0.1:0\", the address the daemon left in its state_dir), else\n"
      "http://127.0.0.1:8470. The token is read from --token-file, else from the\n"
      "[http] token_file of --config.\n"
      "Exit status: 0 the daemon answered, 1 it did not (no daemon there, token refused,\n"
      "unreadable config or token file), 2 usage error.");
  auto args = std::make_shared<console::StatusRequest>();
  command->add_option("--url", args->url, "The admin API, e.g. http://127.0.0.1:8470");
  command->add_option("--token-file", args->token_file,
                      "A file holding the admin token (surrounding whitespace is ignored)");
  command->add_option("--config", args->config,
                      "The daemon config (kutsu.toml) to take the address and token from");
  command->callback([args, exit_code] { *exit_code = run_status(*args); });
}

}  // namespace kutsu::daemon
