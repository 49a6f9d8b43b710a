// ConnectionSet: what the listener and every open session of one AdminServer
// share — the router, the per-phase limits, and the sessions now open (for
// the connection cap and for stop()).
//
// It is held by shared_ptr from the server, the listener and each session,
// so a completion handler that runs after the server was destroyed still
// finds it; `router` is null from stop() on, and a session that sees that
// closes instead of answering (the Router and its DaemonView may be gone).
//
// Not thread-safe: everything runs on the daemon's one event-loop thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <unordered_map>
#include <vector>

namespace kutsu::admin {
class Router;
}

namespace kutsu::admin::detail {

class HttpSession;

struct SessionLimits {
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
};

class ConnectionSet {
 public:
  ConnectionSet(Router& router, SessionLimits limits, std::size_t max_connections)
      : router_(&router), limits_(limits), max_connections_(max_connections) {}

  // Null once the server stopped.
  Router* router() const { return router_; }
  const SessionLimits& limits() const { return limits_; }

  bool full() const { return open_.size() >= max_connections_; }
  std::size_t size() const { return open_.size(); }
  void add(const std::shared_ptr<HttpSession>& session) { open_[session.get()] = session; }
  void remove(const HttpSession* session) { open_.erase(session); }

  // The server stops: no more answers, and every open session is closed.
  void stop();

 private:
  Router* router_;
  SessionLimits limits_;
  std::size_t max_connections_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> open_;
};

}  // namespace kutsu::admin::detail
