#include "daemon/service_notifier.h"

#include <time.h>

#include <cstdint>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace kutsu::daemon {

ServiceNotifier::ServiceNotifier(boost::asio::io_context& io) : watchdog_(io) {}

void ServiceNotifier::notify(const std::string& state) {
  const int sent = sd_notify(0, state.c_str());
  if (sent < 0 && !warned_) {
    warned_ = true;
    spdlog::warn("cannot notify systemd: error {}", -sent);
  }
}

void ServiceNotifier::ready(std::string_view status) {
  notify("READY=1\nSTATUS=" + std::string(status));
}

void ServiceNotifier::reloading() {
  // MONOTONIC_USEC lets systemd (Type=notify-reload) match this to its request.
  timespec now{};
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
    notify("RELOADING=1");
    return;
  }
  const std::uint64_t usec = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 +
                             static_cast<std::uint64_t>(now.tv_nsec) / 1000;
  notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void ServiceNotifier::stopping() { notify("STOPPING=1"); }

void ServiceNotifier::start_watchdog() {
  std::uint64_t usec = 0;
  const int enabled = sd_watchdog_enabled(0, &usec);
  if (enabled < 0) {
    spdlog::warn("systemd watchdog settings are invalid: error {}", -enabled);
    return;
  }
  if (enabled == 0 || usec == 0) return;
  interval_ = std::chrono::microseconds{usec / 2};
  spdlog::info("systemd watchdog every {} ms", interval_.count() / 1000);
  pet();
}

void ServiceNotifier::stop_watchdog() {
  interval_ = std::chrono::microseconds{0};
  watchdog_.cancel();
}

void ServiceNotifier::pet() {
  if (interval_.count() == 0) return;
  notify("WATCHDOG=1");
  watchdog_.expires_after(interval_);
  watchdog_.async_wait([this](const boost::system::error_code& error) {
    if (!error) pet();
  });
}

}  // namespace kutsu::daemon
