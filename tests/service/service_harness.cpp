#include "tests/service/service_harness.h"

#include <fstream>
#include <stdexcept>

#include <boost/asio/post.hpp>

namespace kutsu::service::testing {

namespace asio = boost::asio;
using namespace std::chrono_literals;

void FakeEmail::send(notifier::EmailMessage message, notifier::DeliveryCallback done) {
  if (on_send) on_send(message);
  sent.push_back(std::move(message));
  if (hold) {
    held_.push_back(std::move(done));
    return;
  }
  asio::post(io_, [done = std::move(done)] { done(AttemptResult::sent(250, "2.0.0 OK: queued")); });
}

void FakeEmail::release_all(AttemptResult result) {
  while (!held_.empty()) {
    notifier::DeliveryCallback done = std::move(held_.front());
    held_.pop_front();
    done(result);
  }
}

std::string series_text(const std::string& id, const std::string& invitation,
                        const std::vector<std::string>& session_starts) {
  std::string text = "id = \"" + id +
                     "\"\n"
                     "title = \"Sarja " + id + "\"\n"
                     "timezone = \"Europe/Helsinki\"\n"
                     "organiser = { name = \"O\", email = \"o@example.org\" }\n"
                     "join_url = \"https://example.org/liity\"\n"
                     "participants = \"" + id + ".csv\"\n\n"
                     "[invitation]\nsend_at = " + invitation + "\n\n"
                     "[[reminder]]\nbefore = \"PT1H\"\n";
  int n = 0;
  for (const std::string& start : session_starts) {
    const std::string number = std::to_string(++n);
    text += "\n[[session]]\nid = \"s" + number + "\"\ntitle = \"Istunto " + number +
            "\"\nstart = " + start + "\nduration = \"PT1H\"\n";
  }
  return text;
}

std::string participants(int people) {
  std::string text = "email,name\n";
  for (int i = 1; i <= people; ++i) {
    text += "p" + std::to_string(i) + "@example.org,Osallistuja " + std::to_string(i) + "\n";
  }
  return text;
}

ServiceHarness::ServiceHarness(Instant now) : clock(now) {
  const std::filesystem::path file = dir_.path() / "kutsu.toml";
  const std::string text = "[daemon]\nseries_dir = \"series.d\"\nstate_dir = \"state\"\n";
  dir_.write("kutsu.toml", text);
  std::filesystem::create_directories(dir_.path() / "series.d");
  config::ConfigLoad load = config::parse_config(text, file, config::ConfigEnvironment{});
  if (!load.config) throw std::runtime_error("test config does not load");
  config_ = std::move(*load.config);
  // The dispatcher's timer waits on the wall clock; tests that move the
  // ManualClock call advance(), which wakes it.
  tuning.dispatcher.max_wait = std::chrono::seconds(1);
  tuning.dispatcher.flush_delay = 0ms;
  tuning.store_retry = 50ms;
}

ServiceHarness::~ServiceHarness() {
  if (service_) stop_service();
}

std::filesystem::path ServiceHarness::write(const std::string& name,
                                            const std::string& text) const {
  return dir_.write("series.d/" + name, text);
}

void ServiceHarness::remove(const std::string& name) const {
  std::filesystem::remove(dir_.path() / "series.d" / name);
}

Service& ServiceHarness::start_service() {
  if (service_) stop_service();
  service_ = std::make_unique<Service>(io, config_, clock, Deliveries{&email, nullptr}, tuning);
  Status started = service_->start();
  if (!started) throw std::runtime_error(started.error().message);
  return *service_;
}

void ServiceHarness::stop_service() {
  bool stopped = false;
  service_->stop([&] { stopped = true; });
  run_until([&] { return stopped; });
  service_.reset();
}

bool ServiceHarness::run_until(const std::function<bool()>& done,
                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(5ms);
  }
  return true;
}

model::LoadReport ServiceHarness::reload_and_wait() {
  std::optional<model::LoadReport> report;
  service_->reload([&](const model::LoadReport& done) { report = done; });
  if (!run_until([&] { return report.has_value(); })) throw std::runtime_error("no reload");
  return *report;
}

void ServiceHarness::advance(std::chrono::seconds by) {
  clock.advance(by);
  if (service_) service_->wake();
}

store::NotificationState ServiceHarness::state_of(const std::string& id) {
  auto found = service_->outbox().find(id);
  if (!found || !*found) throw std::runtime_error("no notification " + id);
  return (*found)->row.state;
}

}  // namespace kutsu::service::testing
