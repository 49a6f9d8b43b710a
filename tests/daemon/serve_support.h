// What the `kutsu serve` integration tests share: a series whose moments are
// computed from the real clock (seconds ahead), the daemon config pointing
// at a real SMTP server, the daemon as a child process, and the plan's ids
// and due times (from `kutsu plan --format json`) to check arrivals against.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/daemon/kutsu_cli.h"
#include "tests/fixtures/child_process.h"
#include "tests/fixtures/smtp_server.h"

namespace kutsu::daemon::testing {

using Instant = std::chrono::sys_seconds;

// The next whole second after now, plus `ahead`.
Instant seconds_from_now(std::chrono::seconds ahead);

struct SessionAt {
  std::string id;
  Instant start;
};

// A series in Europe/Helsinki with `people` participants, an invitation
// `invitation_before` ahead of the first session and one reminder PT5S.
std::string series_toml(const std::vector<SessionAt>& sessions, std::string_view invitation_before);
std::string participants_csv(int people);

// kutsu.toml for `dir`: series in dir/series.d, state in dir/state, mail to
// `smtp_url`, the admin API on a free loopback port; `http_extra` is added to
// its [http] table (e.g. a token_file line).
std::string daemon_config(const std::filesystem::path& dir, const std::string& smtp_url,
                          std::string_view http_extra = "");

// The notification id → due instant of every notification the files plan.
std::map<std::string, Instant> planned_dues(const std::filesystem::path& series_file);

// The id of the notification of `dues` due at `due` (the first by id), or a
// text that no id equals.
std::string id_due_at(const std::map<std::string, Instant>& dues, Instant due);

// `kutsu serve --config FILE` with stderr merged into stdout; the
// constructor returns once the daemon logged that it is serving (or throws).
class ServeProcess {
 public:
  explicit ServeProcess(const std::filesystem::path& config);
  kutsu::testing::ChildProcess& process() { return *process_; }
  // The admin API's port, from the daemon's "admin API listening on" line.
  int admin_port() const { return admin_port_; }
  // The next output line containing `text` (lines before it are skipped);
  // nullopt when none came within `timeout`.
  std::optional<std::string> wait_for(std::string_view text, std::chrono::milliseconds timeout);
  // Reads what the daemon has printed so far, without waiting. A test that
  // waits on something else while the daemon logs much (a line per send)
  // calls it meanwhile: a full pipe (64 KiB, some 450 "sent" lines) would
  // block the daemon's logging and with it its event loop.
  void drain();
  // SIGTERM, then the exit code (-1 when it did not exit in 15 s).
  int terminate();

 private:
  std::unique_ptr<kutsu::testing::ChildProcess> process_;
  int admin_port_ = 0;
};

// The next message `smtp` receives within `patience`, reading the daemon's
// log meanwhile (ServeProcess::drain): for waits through a burst that logs
// a line per send.
std::optional<kutsu::testing::SmtpServer::Message> next_message_draining(
    kutsu::testing::SmtpServer& smtp, ServeProcess& serve, std::chrono::milliseconds patience);

// The notification id in a message's Message-ID ("<id@domain>"); "" if none.
std::string notification_id_of(const std::string& message);

// A burst for stop and crash tests: 150 people, each with an invitation and a
// reminder due within a second of each other a few seconds from now (300
// mails), a real SMTP server, and a tally of what it received by id.
class Burst {
 public:
  Burst();
  const std::filesystem::path& config() const { return config_; }
  const std::map<std::string, Instant>& dues() const { return dues_; }
  // Takes the next message the server got and counts it; false when none
  // came within `timeout`.
  bool receive(std::chrono::milliseconds timeout);
  // How many times each notification id arrived.
  const std::map<std::string, int>& received() const { return received_; }

 private:
  kutsu::testing::SmtpServer smtp_;
  TempDir dir_;
  std::filesystem::path config_;
  std::map<std::string, Instant> dues_;
  std::map<std::string, int> received_;
};

}  // namespace kutsu::daemon::testing
