// Daemon: `kutsu serve` put together — the outbox, the loaded series, the
// transports, the dispatcher, the admin API and the signals, on one
// io_context thread.
//
// run() does the start-up of interfaces.md in order: create state_dir and
// open the outbox there; put back what a crash left `sending`; load every
// series file and store each plan, applying the misfire rule to what came
// due while the daemon was down (series_loader.h: a bad file is logged line
// by line and its series held, not failed); start the admin API
// (admin/admin_server.h); then serve until SIGTERM or SIGINT. SIGHUP and
// POST /api/v1/reload re-read series_dir the same way (one code path): valid
// files re-plan their series, a broken file keeps its previous version, a
// removed file supersedes what its series still had pending, and a session
// that moved after its invitation went out gets update notices.
// systemd hears READY=1, RELOADING=1, STOPPING=1 and WATCHDOG=1
// (service_notifier.h).
//
// On SIGTERM/SIGINT the admin API closes, the dispatcher stops claiming,
// sends in flight get up to 10 s, every outcome is recorded and run()
// returns 0. A start-up failure (outbox, transports, an unreadable series
// folder, an admin address that is taken or public without a token) returns
// 1 after logging why. Logs go through spdlog (stderr); never a secret or a
// message body.
//
// One Daemon per process; construct and run on the main thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <date/date.h>

#include "config/daemon_config.h"

namespace kutsu::daemon {

struct DaemonOptions {
  config::DaemonConfig config;
  // Tests and demos: the clock starts at this instant and runs at real speed.
  std::optional<date::sys_seconds> clock_start;
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Serves until stopped by a signal; the process exit code.
  int run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kutsu::daemon
