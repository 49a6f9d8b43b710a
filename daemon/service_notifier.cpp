#include "daemon/service_notifier.h"

#include <time.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace kutsu::daemon {

namespace {
constexpr std::string_view kWatchdog = "WATCHDOG=1";
}  // namespace

struct ServiceNotifier::Outgoing {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> queue;
  bool sending = false;  // the thread is inside sd_notify
  bool closing = false;
  bool warned = false;

  // The sending thread: until closed, and then until the queue is empty.
  void send_all() {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [this] { return !queue.empty() || closing; });
      if (queue.empty()) return;
      const std::string state = std::move(queue.front());
      queue.pop_front();
      sending = true;
      lock.unlock();
      const int sent = sd_notify(0, state.c_str());
      lock.lock();
      sending = false;
      if (sent < 0 && !warned) {
        warned = true;
        spdlog::warn("cannot notify systemd: error {}", -sent);
      }
      changed.notify_all();
    }
  }
};

ServiceNotifier::ServiceNotifier(boost::asio::io_context& io)
    : watchdog_(io), outgoing_(std::make_shared<Outgoing>()) {
  sender_ = std::thread([outgoing = outgoing_] { outgoing->send_all(); });
}

ServiceNotifier::~ServiceNotifier() {
  std::unique_lock lock(outgoing_->mutex);
  outgoing_->closing = true;
  outgoing_->changed.notify_all();
  const bool sent = outgoing_->changed.wait_for(lock, std::chrono::seconds(1), [this] {
    return outgoing_->queue.empty() && !outgoing_->sending;
  });
  lock.unlock();
  if (sent) {
    sender_.join();
  } else {
    sender_.detach();  // blocked in sd_notify; it owns its share of Outgoing
  }
}

void ServiceNotifier::notify(const std::string& state) {
  std::lock_guard lock(outgoing_->mutex);
  if (state == kWatchdog && (!outgoing_->queue.empty() || outgoing_->sending)) return;
  outgoing_->queue.push_back(state);
  outgoing_->changed.notify_all();
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
  notify(std::string(kWatchdog));
  watchdog_.expires_after(interval_);
  watchdog_.async_wait([this](const boost::system::error_code& error) {
    if (!error) pet();
  });
}

}  // namespace kutsu::daemon
