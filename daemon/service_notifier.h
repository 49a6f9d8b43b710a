// ServiceNotifier: tells systemd (Type=notify, systemd/kutsu.service.in)
// where the daemon is in its life, through sd_notify(3): READY=1 once
// serving, RELOADING=1 and READY=1 around a reload, STOPPING=1 on the way
// out, STATUS= with the outbox counts, and WATCHDOG=1 from the event loop at
// half the WatchdogSec interval, so a stuck loop gets the service restarted.
//
// Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
// A failing sd_notify is logged once and never stops the daemon.
//
// sd_notify blocks while the socket's queue is full (systemd busy, or a
// NOTIFY_SOCKET nobody reads: ten datagrams fill it), so the calls only
// queue the message, and one thread of its own sends them, in order. A
// WATCHDOG=1 queued behind others is dropped: they say the loop lives.
// At destruction the thread gets a second to send what is queued
// (STOPPING=1); one still blocked then is left to the process's exit.
// Lifetimes: `io` must outlive it. Not thread-safe: the event loop's thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kutsu::daemon {

class ServiceNotifier {
 public:
  explicit ServiceNotifier(boost::asio::io_context& io);
  ~ServiceNotifier();
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  void ready(std::string_view status);
  void reloading();
  void stopping();
  // Starts sending WATCHDOG=1 when systemd asked for it ($WATCHDOG_USEC).
  void start_watchdog();
  void stop_watchdog();

 private:
  void notify(const std::string& state);
  void pet();

  // What the loop and the sending thread share; the thread keeps it alive
  // if it outlives this.
  struct Outgoing;

  boost::asio::steady_timer watchdog_;
  std::chrono::microseconds interval_{0};
  std::shared_ptr<Outgoing> outgoing_;
  std::thread sender_;
};

}  // namespace kutsu::daemon
