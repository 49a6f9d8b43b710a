// `kutsu status [--url U] [--token-file F] [--config FILE]`: asks a running
// daemon's admin API what it is doing and prints a summary for people
// (status_summary.h). Exit 0 when the daemon answered, 1 otherwise.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "config/daemon_config.h"
#include "console/admin_client.h"
#include "console/status_summary.h"
#include "daemon/admin_address_file.h"
#include "daemon/commands.h"

namespace kutsu::daemon {
namespace {

constexpr const char* kDefaultUrl = "http://127.0.0.1:8470";
constexpr int kNextSends = 10;
constexpr int kFailuresPerState = 20;

struct StatusArguments {
  std::string url;
  std::string token_file;
  std::string config;
};

struct Target {
  std::string url;
  std::optional<config::Secret> token;
};

// --url and --token-file win; the config fills in what they leave out.
Result<Target> resolve_target(const StatusArguments& args) {
  Target target{args.url, std::nullopt};
  if (!args.config.empty()) {
    config::ConfigLoad loaded = config::load_config(args.config);
    if (!loaded.config) {
      std::string problems;
      for (const Diagnostic& diagnostic : loaded.diagnostics) {
        problems += (problems.empty() ? "" : "\n") + diagnostic.to_string();
      }
      return Error{problems};
    }
    const config::HttpSettings& http = loaded.config->http;
    if (target.url.empty()) {
      if (http.listen.port == 0) {
        // The daemon left the port it got in its state directory.
        Result<std::string> address = read_admin_address(loaded.config->daemon.state_dir);
        if (!address) {
          return Error{args.config + ": [http] listen asks for any free port, and " +
                       address.error().message};
        }
        target.url = "http://" + *address;
      } else {
        target.url = "http://" + http.listen.to_string();
      }
    }
    if (args.token_file.empty() && http.token) target.token = *http.token;
  }
  if (target.url.empty()) target.url = kDefaultUrl;
  if (!args.token_file.empty()) {
    Result<config::Secret> token = config::read_secret_file(args.token_file);
    if (!token) return token.error();
    target.token = std::move(*token);
  }
  return target;
}

Result<console::StatusAnswers> ask(console::AdminClient& client) {
  console::StatusAnswers answers{client.base_url(), {}, {}, {}, {}, {}};
  struct Question {
    std::string path;
    boost::json::value* answer;
  };
  const auto notifications = [](std::string_view state, int limit) {
    return "/api/v1/notifications?state=" + std::string(state) + "&limit=" + std::to_string(limit);
  };
  const Question questions[] = {
      {"/api/v1/status", &answers.status},
      {"/api/v1/series", &answers.series},
      {notifications("pending", kNextSends), &answers.pending},
      {notifications("failed", kFailuresPerState), &answers.failed},
      {notifications("missed", kFailuresPerState), &answers.missed},
  };
  for (const Question& question : questions) {
    Result<boost::json::value> answer = client.get(question.path);
    if (!answer) return answer.error();
    *question.answer = std::move(*answer);
  }
  return answers;
}

int run_status(const StatusArguments& args) {
  Result<Target> target = resolve_target(args);
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
  Result<console::StatusAnswers> answers = ask(*client);
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
  auto args = std::make_shared<StatusArguments>();
  command->add_option("--url", args->url, "The admin API, e.g. http://127.0.0.1:8470");
  command->add_option("--token-file", args->token_file,
                      "A file holding the admin token (surrounding whitespace is ignored)");
  command->add_option("--config", args->config,
                      "The daemon config (kutsu.toml) to take the address and token from");
  command->callback([args, exit_code] { *exit_code = run_status(*args); });
}

}  // namespace kutsu::daemon
