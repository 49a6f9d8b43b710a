#include "daemon/daemon.h"

#include <csignal>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "admin/admin_server.h"
#include "console/admin_address_file.h"
#include "daemon/admin_view.h"
#include "daemon/service_notifier.h"
#include "scheduler/shifted_clock.h"
#include "service/service.h"
#include "service/transports.h"

namespace kutsu::daemon {
namespace {

namespace asio = boost::asio;

std::string_view signal_name(int signal) {
  switch (signal) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "signal";
  }
}

}  // namespace

// The running daemon's parts: the transports it built from the config, the
// service over them, and what faces the outside (admin API, signals,
// systemd). Members are destroyed in reverse order: the admin API and the
// service go before the transports their callbacks reach.
struct Daemon::State {
  explicit State(DaemonOptions daemon_options) : options(std::move(daemon_options)) {
    if (options.clock_start) {
      clock = std::make_unique<scheduler::ShiftedClock>(*options.clock_start);
    } else {
      clock = std::make_unique<scheduler::SystemClock>();
    }
  }

  const config::DaemonConfig& config() const { return options.config; }
  store::Instant now() const { return std::chrono::floor<std::chrono::seconds>(clock->now()); }

  Status start_admin();
  void await_signal();
  void announce_serving();

  DaemonOptions options;
  asio::io_context io{1};
  asio::thread_pool disk{1};  // maildir writes: fsync must not block the loop
  std::unique_ptr<scheduler::Clock> clock;
  service::Transports transports;
  ServiceNotifier systemd{io};
  std::unique_ptr<service::Service> service;
  std::unique_ptr<AdminView> view;
  std::unique_ptr<admin::AdminServer> admin;
  std::optional<asio::signal_set> signals;
};

Status Daemon::State::start_admin() {
  admin::AdminSettings settings;
  settings.listen = config().http.listen;
  if (config().http.token) settings.token = config().http.token->reveal();
  settings.max_connections = static_cast<std::size_t>(config().http.max_connections);
  settings.max_connections_per_client =
      static_cast<std::size_t>(config().http.max_connections_per_client);
  settings.idle_timeout = config().http.idle_timeout;
  view = std::make_unique<AdminView>(*service);
  admin = std::make_unique<admin::AdminServer>(io, *view, std::move(settings));
  if (Status started = admin->start(); !started) return started;  // start() logs where it listens
  ListenAddress bound = config().http.listen;
  bound.port = admin->port();
  if (!config().http.public_url && config().http.listen.port == 0) {
    service->use_public_url("http://" + bound.to_string());
  }
  if (Status left = console::write_admin_address(config().daemon.state_dir, bound); !left) {
    // Only `kutsu status --config` with a free port needs it; the daemon serves regardless.
    spdlog::warn("{}; kutsu status --config cannot find this daemon", left.error().message);
  }
  return {};
}

void Daemon::State::await_signal() {
  signals->async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      switch (service->reload()) {
        case model::ReloadQueued::started:
          spdlog::info("SIGHUP: reloading {}", config().daemon.series_dir.string());
          break;
        case model::ReloadQueued::waiting:
          spdlog::info("SIGHUP: a reload is running; another follows it");
          break;
        case model::ReloadQueued::merged:
          spdlog::info("SIGHUP: a reload is running and another already waits; merged into it");
          break;
      }
      await_signal();
      return;
    }
    spdlog::info("{}: stopping", signal_name(signal));
    systemd.stopping();
    if (admin) {
      admin->stop();
      if (Status removed = console::remove_admin_address(config().daemon.state_dir); !removed) {
        spdlog::warn("{}", removed.error().message);
      }
    }
    service->stop([this] {
      systemd.stop_watchdog();
      spdlog::info("stopped");
      signals->cancel();
      io.stop();
    });
  });
}

// Said last: whoever waits for this line (tests, an operator) can now
// reach the admin API and signal the daemon.
void Daemon::State::announce_serving() {
  service->async_outbox().async_next_due([this](Result<std::optional<store::Instant>> next) {
    spdlog::info("serving {} series from {}; next due {}", service->catalog().all().size(),
                 config().daemon.series_dir.string(),
                 next && *next ? date::format("%FT%TZ", **next) : std::string("none"));
    systemd.ready(service->status_line());
    systemd.start_watchdog();
  });
}

Daemon::Daemon(DaemonOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Daemon::~Daemon() = default;

int Daemon::run() {
  State& s = *state_;
  Result<service::Transports> made = service::make_transports(
      s.io, s.disk.get_executor(), s.config(), [&s] { return s.now(); });
  if (!made) {
    spdlog::critical("cannot set up delivery: {}", made.error().message);
    return 1;
  }
  s.transports = std::move(*made);
  service::ServiceEvents events;
  events.reload_started = [&s] { s.systemd.reloading(); };
  events.reload_applied = [&s] { s.systemd.ready(s.service->status_line()); };
  s.service = std::make_unique<service::Service>(
      s.io, s.config(), *s.clock, s.transports.deliveries(),
      service::ServiceTuning{}, std::move(events));
  // Start-up runs on the loop (on PostgreSQL nothing may block it); the
  // admin API follows once the service serves, and so does the handling of
  // signals. They are caught from here on, though: the dispatcher may send
  // before the service says it serves, and a SIGTERM then would otherwise
  // end the process before the result is recorded (a resend at the next
  // start). One caught early waits in the signal set until then.
  s.signals.emplace(s.io, SIGTERM, SIGINT, SIGHUP);
  int exit_code = 0;
  s.service->start([&s, &exit_code](Status started) {
    if (!started) {
      spdlog::critical("{}", started.error().message);
      exit_code = 1;
      s.io.stop();
      return;
    }
    if (Status admin = s.start_admin(); !admin) {
      spdlog::critical("cannot start the admin API on {}: {}", s.config().http.listen.to_string(),
                       admin.error().message);
      exit_code = 1;
      s.io.stop();
      return;
    }
    s.await_signal();
    s.announce_serving();
  });
  s.io.run();
  s.disk.join();
  return exit_code;
}

}  // namespace kutsu::daemon
