#include "console/status_request.h"

#include <utility>

#include "config/daemon_config.h"
#include "console/admin_address_file.h"

namespace kutsu::console {
namespace {

constexpr const char* kDefaultUrl = "http://127.0.0.1:8470";
constexpr int kNextSends = 10;
constexpr int kFailuresPerState = 20;

}  // namespace

Result<StatusTarget> resolve_status_target(const StatusRequest& request) {
  StatusTarget target{request.url, std::nullopt};
  if (!request.config.empty()) {
    config::ConfigLoad loaded = config::load_config(request.config);
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
          return Error{request.config + ": [http] listen asks for any free port, and " +
                       address.error().message};
        }
        target.url = "http://" + *address;
      } else {
        target.url = "http://" + http.listen.to_string();
      }
    }
    if (request.token_file.empty() && http.token) target.token = *http.token;
  }
  if (target.url.empty()) target.url = kDefaultUrl;
  if (!request.token_file.empty()) {
    Result<config::Secret> token = config::read_secret_file(request.token_file);
    if (!token) return token.error();
    target.token = std::move(*token);
  }
  return target;
}

Result<StatusAnswers> ask_status(std::string url, const AdminGet& get) {
  StatusAnswers answers{std::move(url), {}, {}, {}, {}, {}};
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
    Result<boost::json::value> answer = get(question.path);
    if (!answer) return answer.error();
    *question.answer = std::move(*answer);
  }
  return answers;
}

}  // namespace kutsu::console
