#include "tests/daemon/serve_drill_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kutsu::daemon::testing {

using namespace std::chrono_literals;
namespace json = boost::json;
using kutsu::testing::HttpClient;
using kutsu::testing::HttpReply;

namespace {

constexpr char kToken[] = "state-drill-token";

}  // namespace

ScopedEnvironment::ScopedEnvironment(const std::map<std::string, std::string>& variables) {
  for (const auto& [name, value] : variables) {
    const char* before = std::getenv(name.c_str());
    saved_.emplace(name, before ? std::optional<std::string>(before) : std::nullopt);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
}

ScopedEnvironment::~ScopedEnvironment() {
  for (const auto& [name, value] : saved_) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
}

StateDirectoryDrill::StateDirectoryDrill(int people, const std::filesystem::path& state_dir,
                                         const std::map<std::string, std::string>& environment)
    : people_(people) {
  dir_.write("token", std::string(kToken) + "\n");
  const Instant start = seconds_from_now(1h);
  dir_.write("series.d/pian.csv", participants_csv(people));
  const auto series = dir_.write("series.d/pian.toml", series_toml({{"eka", start}}, "PT59M55S"));
  dues_ = planned_dues(series);
  std::string config = daemon_config(dir_.path(), smtp_.url(), "token_file = \"token\"\n");
  const std::string default_state = (dir_.path() / "state").string();
  config.replace(config.find(default_state), default_state.size(), state_dir.string());
  const auto config_file = dir_.write("kutsu.toml", config);
  {
    const ScopedEnvironment daemon_environment(environment);
    serve_.emplace(config_file);
  }
  client_.emplace(static_cast<std::uint16_t>(serve_->admin_port()));
}

json::object StateDirectoryDrill::status() {
  Result<HttpReply> reply = client_->get("/api/v1/status", HttpClient::bearer(kToken));
  if (!reply || reply->status != 200) {
    ADD_FAILURE() << "GET /api/v1/status: " << (reply ? reply->body : reply.error().message);
    return {};
  }
  return json::parse(reply->body).as_object();
}

HttpReply StateDirectoryDrill::health() {
  Result<HttpReply> reply = client_->get("/healthz");
  if (!reply) {
    ADD_FAILURE() << "GET /healthz: " << reply.error().message;
    return {};
  }
  return *reply;
}

bool StateDirectoryDrill::receive(std::chrono::milliseconds patience) {
  std::optional<kutsu::testing::SmtpServer::Message> message =
      next_message_draining(smtp_, *serve_, patience);
  if (message) ++received_[notification_id_of(message->data)];
  return message.has_value();
}

void StateDirectoryDrill::receive_until_quiet(std::chrono::milliseconds quiet) {
  while (receive(quiet)) {
  }
}

bool StateDirectoryDrill::await_store_problem(std::string_view words,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    serve_->drain();
    const json::object now = status();
    const json::value* store = now.if_contains("store");
    if (store != nullptr && store->is_object() && store->as_object().at("ok") == false) {
      const json::value* problem = store->as_object().if_contains("problem");
      if (problem != nullptr && problem->is_string() &&
          problem->as_string().find(words) != json::string::npos) {
        return true;
      }
    }
    // Meanwhile the sends claimed before go on: take them, so that neither
    // the relay's queue nor the daemon's log pipe fills.
    receive(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

bool StateDirectoryDrill::expect_everyone_once(std::chrono::milliseconds patience) {
  for (std::size_t i = received_.size(); i < static_cast<std::size_t>(people_); ++i) {
    if (!receive(patience)) {
      serve_->drain();
      ADD_FAILURE() << "only " << received_.size() << " of " << people_
                    << " arrived; the daemon said:\n"
                    << serve_->process().stdout_text();
      return false;
    }
  }
  bool ok = true;
  if (receive(2s)) {
    ADD_FAILURE() << "a message more than the burst arrived";
    ok = false;
  }
  EXPECT_EQ(received_.size(), static_cast<std::size_t>(people_));
  for (const auto& [id, count] : received_) {
    if (count != 1 || !dues_.contains(id)) ok = false;
    EXPECT_EQ(count, 1) << id;
    EXPECT_EQ(dues_.count(id), 1u) << id;
  }
  return ok && received_.size() == static_cast<std::size_t>(people_);
}

void StateDirectoryDrill::expect_outbox_agrees_and_stop() {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  json::object counts;
  do {
    serve_->drain();
    const json::object now = status();
    if (!now.contains("counts")) break;
    counts = now.at("counts").as_object();
  } while ((counts.at("sent") != people_ || counts.at("sending") != 0) &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(counts["sent"], people_) << json::serialize(counts);
  EXPECT_EQ(counts["sending"], 0) << json::serialize(counts);
  EXPECT_EQ(health().status, 200);
  EXPECT_EQ(serve_->terminate(), 0) << serve_->process().stdout_text();
}

}  // namespace kutsu::daemon::testing
