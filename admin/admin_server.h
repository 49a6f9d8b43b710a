// AdminServer: the admin HTTP API of interfaces.md ("Admin HTTP API"), the
// status page, /metrics and the .ics feeds, served by Boost.Beast from the
// daemon's own event loop.
//
// Hardening follows Beast's advanced server example: each connection is a
// session object that owns its socket; reading a request's header and its
// body, and an idle keep-alive connection, each have a deadline after which
// the socket is closed (a slow-loris client is dropped); a body over 1 MiB is
// answered 413 and the connection closed; a malformed or ambiguously framed
// request is answered 400 and closed. No request can crash the daemon or
// keep memory.
//
// Connections are limited in total (`max_connections`) and per client
// address (`max_connections_per_client`), and idle ones give way: a new
// connection that does not fit closes the idlest one (of its own client when
// that client is at its limit) and is refused only when none is idle; while
// more than 3/4 of the table is open, connections idle for over
// `busy_idle_timeout` are closed. So idle keep-alive connections, however
// many, cannot lock out /healthz or the status page
// (admin/detail/connection_set.h).
//
// Authentication: /api/* needs "Authorization: Bearer <token>", compared in
// constant time; without a configured token every /api request is 401.
//
// start() binds and listens: it fails (and logs nothing itself) when the
// address is taken, or when `listen` is not a loopback address and no token
// is configured — such a server would hand the API to anyone who can reach
// it. Once listening it logs one info line with the real address
// ("admin API listening on 127.0.0.1:PORT"); requests themselves are logged
// at debug level only. stop() closes the listener and every open
// connection; handlers posted after that do nothing.
//
// Headers are limited to 16 KiB (431 beyond). /api/v1/status and /metrics
// reuse outbox counts for `figures_ttl` (admin/outbox_figures.h) so that
// polling them never counts the whole table per request.
//
// Lifetimes: `io` and `daemon` must outlive the AdminServer. Construct,
// start, stop and destroy it on the event loop's thread (or before `io` runs).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "admin/daemon_view.h"
#include "base/listen_address.h"
#include "base/result.h"

namespace kutsu::admin {

struct AdminSettings {
  ListenAddress listen;              // port 0: any free port (see port())
  std::optional<std::string> token;  // the bearer token; none: /api answers 401
  std::size_t max_connections = 512;
  std::size_t max_connections_per_client = 32;  // by client IP address (IPv6: its /64)
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};    // request line and headers
  std::chrono::milliseconds body_timeout{30'000};      // the body, once headers are in
  std::chrono::milliseconds idle_timeout{30'000};      // keep-alive between requests
  std::chrono::milliseconds busy_idle_timeout{1'000};  // the same, over 3/4 of max_connections
  std::chrono::milliseconds write_timeout{30'000};     // sending the response
  // How long /api/v1/status and /metrics may reuse outbox counts instead of
  // counting the table again (see admin/outbox_figures.h); 0: never.
  std::chrono::milliseconds figures_ttl{1'000};
};

class AdminServer {
 public:
  AdminServer(boost::asio::io_context& io, DaemonView& daemon, AdminSettings settings);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  Status start();
  void stop();

  // The port listened on (the one chosen when settings asked for 0); 0 before start().
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kutsu::admin
