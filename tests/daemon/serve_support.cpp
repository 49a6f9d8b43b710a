#include "tests/daemon/serve_support.h"

#include <csignal>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>
#include <boost/json.hpp>

namespace kutsu::daemon::testing {

using namespace std::chrono_literals;

Instant seconds_from_now(std::chrono::seconds ahead) {
  return std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) + ahead;
}

namespace {

std::string helsinki_local(Instant instant) {
  return date::format("%FT%T", date::make_zoned("Europe/Helsinki", instant).get_local_time());
}

}  // namespace

std::string series_toml(const std::vector<SessionAt>& sessions,
                        std::string_view invitation_before) {
  std::string text =
      "id = \"pian\"\n"
      "title = \"Pian alkavat webinaarit\"\n"
      "timezone = \"Europe/Helsinki\"\n"
      "organiser = { name = \"Järjestäjä\", email = \"webinaarit@example.org\" }\n"
      "join_url = \"https://example.org/liity\"\n"
      "participants = \"pian.csv\"\n\n"
      "[invitation]\n"
      "before = \"" +
      std::string(invitation_before) +
      "\"\n\n"
      "[[reminder]]\n"
      "before = \"PT5S\"\n";
  for (const SessionAt& session : sessions) {
    text += "\n[[session]]\nid = \"" + session.id + "\"\ntitle = \"Istunto " + session.id +
            "\"\nstart = " + helsinki_local(session.start) + "\nduration = \"PT1H\"\n";
  }
  return text;
}

std::string participants_csv(int people) {
  std::string text = "email,name\n";
  for (int i = 1; i <= people; ++i) {
    text +=
        "osallistuja" + std::to_string(i) + "@example.org,Osallistuja " + std::to_string(i) + "\n";
  }
  return text;
}

std::string daemon_config(const std::filesystem::path& dir, const std::string& smtp_url,
                          std::string_view http_extra) {
  return "[daemon]\n"
         "series_dir = \"" +
         (dir / "series.d").string() +
         "\"\n"
         "state_dir = \"" +
         (dir / "state").string() +
         "\"\n\n"
         // Any free port: tests run side by side.
         "[http]\n"
         "listen = \"127.0.0.1:0\"\n" +
         std::string(http_extra) +
         "\n"
         "[email]\n"
         "transport = \"smtp\"\n"
         "url = \"" +
         smtp_url +
         "\"\n"
         "starttls = \"off\"\n"
         "from = \"Webinaarit <webinaarit@example.org>\"\n";
}

std::map<std::string, Instant> planned_dues(const std::filesystem::path& series_file) {
  kutsu::testing::RunResult plan = run_kutsu({"plan", "--format", "json", series_file.string()});
  if (plan.exit_code != 0) throw std::runtime_error("kutsu plan failed: " + plan.err);
  std::map<std::string, Instant> dues;
  const boost::json::value parsed = boost::json::parse(plan.out);
  for (const boost::json::value& entry : parsed.as_array()) {
    std::istringstream due(std::string(entry.at("due").as_string()));
    Instant at;
    due >> date::parse("%FT%TZ", at);
    dues.emplace(std::string(entry.at("id").as_string()), at);
  }
  return dues;
}

std::string id_due_at(const std::map<std::string, Instant>& dues, Instant due) {
  for (const auto& [id, at] : dues) {
    if (at == due) return id;
  }
  return "(no notification due then)";
}

ServeProcess::ServeProcess(const std::filesystem::path& config) {
  process_ = std::make_unique<kutsu::testing::ChildProcess>(kutsu::testing::ChildProcess::Options{
      .argv = {KUTSU_BINARY, "serve", "--config", config.string()}, .merge_stderr = true});
  static const std::regex kListening("admin API listening on [^ ]*:([0-9]+)");
  while (std::optional<std::string> line = process_->read_line(10s)) {
    std::smatch match;
    if (std::regex_search(*line, match, kListening)) admin_port_ = std::stoi(match[1].str());
    if (line->find(" serving ") != std::string::npos) return;
  }
  throw std::runtime_error("kutsu serve did not start serving:\n" + process_->stdout_text());
}

std::optional<std::string> ServeProcess::wait_for(std::string_view text,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    std::optional<std::string> line = process_->read_line(left);
    if (!line) return std::nullopt;
    if (line->find(text) != std::string::npos) return line;
  }
}

void ServeProcess::drain() {
  while (process_->read_line(0ms)) {
  }
}

int ServeProcess::terminate() {
  process_->send_signal(SIGTERM);
  return process_->wait(15s);
}

std::string notification_id_of(const std::string& message) {
  static const std::regex kMessageId("\r?\nMessage-ID: <([0-9a-f]{32})@", std::regex::icase);
  std::smatch match;
  return std::regex_search(message, match, kMessageId) ? match[1].str() : std::string();
}

Burst::Burst() {
  const Instant start = seconds_from_now(std::chrono::seconds(8));
  // Invitations 6 s before the session, reminders (PT5S) one second later.
  const auto series = dir_.write("series.d/pian.toml", series_toml({{"eka", start}}, "PT6S"));
  dir_.write("series.d/pian.csv", participants_csv(150));
  config_ = dir_.write("kutsu.toml", daemon_config(dir_.path(), smtp_.url()));
  dues_ = planned_dues(series);
}

std::optional<kutsu::testing::SmtpServer::Message> next_message_draining(
    kutsu::testing::SmtpServer& smtp, ServeProcess& serve, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::optional<kutsu::testing::SmtpServer::Message> message;
  while (!message && std::chrono::steady_clock::now() < deadline) {
    serve.drain();
    message = smtp.next_message(std::chrono::milliseconds(200));
  }
  return message;
}

bool Burst::receive(std::chrono::milliseconds timeout) {
  std::optional<kutsu::testing::SmtpServer::Message> message = smtp_.next_message(timeout);
  if (message) ++received_[notification_id_of(message->data)];
  return message.has_value();
}

}  // namespace kutsu::daemon::testing
