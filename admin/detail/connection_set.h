// ConnectionSet: what the listener and every open session of one AdminServer
// share — the router, the per-phase limits, and the table of open sessions
// with its limits (in total and per client address).
//
// The table is kept fair instead of first come, first served, so that idle
// connections can never lock the others out:
//  - make_room() is asked before each new connection. A client at its
//    per-client limit loses its own idlest connection; when the whole table
//    is full, the idlest connection of all is closed. Only when there is no
//    idle connection to close (all are mid-request) is the new one refused.
//  - While more than 3/4 of the table is open, a connection idle for longer
//    than `busy_idle_timeout` is closed, idlest first, until no more than 3/4
//    are open: a crowd of idle keep-alive clients frees the table by itself,
//    not only when someone new knocks.
// "Idle" is a session waiting for the first byte of a request (its first, or
// the next one on a keep-alive connection), or one that has sent its last
// answer and only drains the socket — with nothing unread in its socket, so
// closing it loses no request. "Idlest" is the one that has waited longest.
// A client is its IP address; an IPv6 client its /64, as one host usually
// holds a whole /64.
//
// A closed session leaves the table at once (its slot and its descriptor are
// free when make_room() returns), though the session object itself lives on
// until its pending operation has finished.
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
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

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
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
};

struct TableLimits {
  std::size_t max_connections = 512;
  std::size_t max_per_client = 32;
  std::chrono::milliseconds busy_idle_timeout{1'000};  // idle waits over 3/4 full
};

// Who a connection counts against for the per-client limit.
using ClientKey = boost::asio::ip::address;
ClientKey client_key(const boost::asio::ip::tcp::endpoint& remote);

class ConnectionSet : public std::enable_shared_from_this<ConnectionSet> {
 public:
  ConnectionSet(boost::asio::any_io_executor executor, Router& router, SessionLimits limits,
                TableLimits table);

  // Null once the server stopped.
  Router* router() const { return router_; }
  const SessionLimits& limits() const { return limits_; }
  std::size_t size() const { return open_.size(); }

  // Closes what has to go for one more connection from `client` to fit;
  // false when that is impossible (nothing idle to close): refuse it.
  bool make_room(const ClientKey& client);
  void add(const std::shared_ptr<HttpSession>& session, const ClientKey& client);
  // A session leaving by itself; nothing when it is no longer in the table.
  void remove(const HttpSession* session);
  // The session starts to wait for a request / has received its first byte.
  void idle(const HttpSession* session);
  void busy(const HttpSession* session);

  // The server stops: no more answers, and every open session is closed.
  void stop();

 private:
  using Clock = std::chrono::steady_clock;
  struct Idle {
    const HttpSession* session;
    Clock::time_point since;
  };
  using IdleList = std::list<Idle>;  // idlest first: sessions join at the back
  struct Entry {
    std::weak_ptr<HttpSession> session;
    std::map<ClientKey, std::size_t>::iterator client;  // its open count
    std::optional<IdleList::iterator> idle;
  };

  bool crowded() const { return open_.size() * 4 > table_.max_connections * 3; }
  // The idlest session (of `client` when given) that can be closed now.
  IdleList::iterator idlest(const ClientKey* client);
  void evict(IdleList::iterator idle, const char* why);
  void erase(std::unordered_map<const HttpSession*, Entry>::iterator entry);
  void schedule_sweep();
  void sweep();

  Router* router_;
  SessionLimits limits_;
  TableLimits table_;
  std::unordered_map<const HttpSession*, Entry> open_;
  std::map<ClientKey, std::size_t> clients_;  // open connections per client, none at 0
  IdleList idle_;
  boost::asio::steady_timer sweep_timer_;
  bool sweep_scheduled_ = false;
};

}  // namespace kutsu::admin::detail
