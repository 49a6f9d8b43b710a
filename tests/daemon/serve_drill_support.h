// What the drills of a failing state directory share (the disk fills:
// serve_disk_drill_test.cpp; the file system turns read-only:
// serve_read_only_drill_test.cpp): a burst of invitations to a real SMTP
// server from `kutsu serve` whose state directory is where the drill breaks
// it, a tally of what arrives, the admin API to ask, and the checks at the
// end (every recipient got the message once, the outbox agrees).
//
// Synchronisation is by events with deadlines: arrivals at the SMTP server,
// the daemon's log lines, answers of the status API polled until they say
// what is awaited.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/smtp_server.h"

namespace kutsu::daemon::testing {

// Adds `variables` to this process's environment until destroyed, then puts
// back what was there. ServeProcess starts the daemon with the test's own
// environment, so a drill that injects a fault through the daemon's
// environment (LD_PRELOAD …) holds one of these while it starts the daemon.
// Not thread-safe (setenv); the drills are single-threaded.
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const std::map<std::string, std::string>& variables);
  ~ScopedEnvironment();
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

class StateDirectoryDrill {
 public:
  // `people` participants whose invitations fall due together about five
  // seconds from now; the outbox in `state_dir` (created by the daemon);
  // `environment` added to the daemon's. Returns once the daemon serves.
  StateDirectoryDrill(int people, const std::filesystem::path& state_dir,
                      const std::map<std::string, std::string>& environment = {});

  ServeProcess& serve() { return *serve_; }
  kutsu::testing::HttpClient& client() { return *client_; }
  int people() const { return people_; }

  // GET /api/v1/status with the token, parsed; {} (and a failure) if it
  // does not answer 200.
  boost::json::object status();
  // GET /healthz: its status and body.
  kutsu::testing::HttpReply health();

  // Takes the next message the SMTP server got within `patience` (reading
  // the daemon's log meanwhile) and counts it; false if none came.
  bool receive(std::chrono::milliseconds patience);
  // Takes messages until none came for `quiet`.
  void receive_until_quiet(std::chrono::milliseconds quiet);
  // Different notifications received so far.
  std::size_t received() const { return received_.size(); }

  // Polls the status API until its store is unhealthy with a problem that
  // contains `words` (true), or `timeout` passes (false).
  bool await_store_problem(std::string_view words, std::chrono::milliseconds timeout);

  // After the fault: the rest of the burst arrives, each within `patience`
  // of the one before, and then nothing more; every recipient got the
  // message exactly once and each is one the plan has. False (with
  // failures added) when it did not.
  bool expect_everyone_once(std::chrono::milliseconds patience);
  // The outbox agrees (polled up to 30 s while the last outcomes are
  // flushed): every row sent, none left sending; /healthz is 200 again and
  // the daemon exits 0 on SIGTERM.
  void expect_outbox_agrees_and_stop();

 private:
  int people_;
  kutsu::testing::SmtpServer smtp_;
  TempDir dir_;
  std::map<std::string, Instant> dues_;
  std::map<std::string, int> received_;
  std::optional<ServeProcess> serve_;
  std::optional<kutsu::testing::HttpClient> client_;
};

}  // namespace kutsu::daemon::testing
