// What the service tests share: a series folder and a state folder in a
// temporary directory, a daemon config pointing at them, a ManualClock,
// fake deliveries that record what they were given (and can hold the
// answer back, like a slow relay), and a loop run until something holds.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "config/daemon_config.h"
#include "notifier/delivery.h"
#include "scheduler/clock.h"
#include "service/service.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::service::testing {

using Instant = std::chrono::sys_seconds;

// Answers every message sent, later on the loop, or holds the answers.
class FakeEmail final : public notifier::EmailDelivery {
 public:
  explicit FakeEmail(boost::asio::io_context& io) : io_(io) {}
  void send(notifier::EmailMessage message, notifier::DeliveryCallback done) override;
  void release_all(AttemptResult result);

  std::vector<notifier::EmailMessage> sent;
  bool hold = false;
  // Called at each send, e.g. to note what else was going on.
  std::function<void(const notifier::EmailMessage&)> on_send;

 private:
  boost::asio::io_context& io_;
  std::deque<notifier::DeliveryCallback> held_;
};

// A series in Europe/Helsinki: `people` participants, the invitation at
// `invitation` (local time), a PT1H reminder, and one session per start.
std::string series_text(const std::string& id, const std::string& invitation,
                        const std::vector<std::string>& session_starts);
std::string participants(int people);

class ServiceHarness {
 public:
  explicit ServiceHarness(Instant now);
  ~ServiceHarness();

  std::filesystem::path write(const std::string& name, const std::string& text) const;
  void remove(const std::string& name) const;

  // The daemon config the next start_service() uses.
  config::DaemonConfig& config() { return config_; }

  // A Service over the folder (a new one each call: a restart).
  Service& start_service();
  Service& service() { return *service_; }
  void stop_service();

  // Runs the loop until `done` holds; false after `timeout`.
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Reloads and runs the loop until the load that serves it was applied.
  model::LoadReport reload_and_wait();

  // Moves the clock and tells the dispatcher, if a service runs.
  void advance(std::chrono::seconds by);
  store::NotificationState state_of(const std::string& id);

  boost::asio::io_context io;
  scheduler::ManualClock clock;
  FakeEmail email{io};
  ServiceTuning tuning;

 private:
  kutsu::testing::TempDir dir_;
  config::DaemonConfig config_;
  std::unique_ptr<Service> service_;
};

}  // namespace kutsu::service::testing
