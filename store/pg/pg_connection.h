// PgConnection: one connection to PostgreSQL, driven by libpq's
// non-blocking API from the event loop; no call ever waits for the server.
//
// Connecting is PQconnectStart/PQconnectPoll, waiting for libpq's socket in
// Asio (the socket may change between polls, so it is taken anew each
// time). A query is PQsendQueryParams with text parameters and text results,
// flushed with PQflush while the socket takes no more, and read with
// PQconsumeInput/PQisBusy/PQgetResult as it becomes readable. Queries are
// sent one at a time in the order they were asked for; the next goes out
// when the previous one's result is in. The socket is watched for reading
// all the time the connection is open, so LISTEN notifications and a server
// going away are seen while idle too.
//
// Every wait has a deadline. A connect or a query that is not done within
// its timeout fails with ErrorCode::unavailable; a query's timeout counts
// from async_query(), its time in the queue included. A query that timed out
// after it was sent closes the connection (libpq 15 cannot cancel without a
// blocking call, and what the server still sends could not be told apart
// from the next query's answer), so everything queued behind it fails too.
//
// Failures: a lost connection, a timeout, and the server's own connection
// errors (SQLSTATE classes 08, 53 and 57P) are ErrorCode::unavailable and
// close the connection; on_lost() hears of it. An SQL error is
// ErrorCode::invalid, or ErrorCode::conflict for a serialization failure or
// a deadlock (worth trying again), and leaves the connection usable; its
// message starts with "[SQLSTATE xxxxx]" (sqlstate() reads it back).
//
// libpq caveat: a host *name* in the URI is resolved by libpq with a
// blocking getaddrinfo(); give an address (host=127.0.0.1, hostaddr=) or a
// Unix socket folder where that matters.
//
// Threading and lifetimes: the io_context's thread only. Handlers run there,
// each exactly once, never inside the call that took them, in the order
// their queries were asked for. Handlers may call into the connection, and
// may destroy it. Destroying the connection abandons everything in flight
// (their handlers are destroyed uncalled) and closes it; the io_context must
// outlive it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/pg/pg_rows.h"

struct pg_conn;
struct pg_result;

namespace kutsu::store::pg {

// A query parameter as text; nullopt is SQL NULL.
using Param = std::optional<std::string>;

// What LISTEN brings: NOTIFY channel, payload on another connection.
struct PgNotification {
  std::string channel;
  std::string payload;
  int sender_pid = 0;  // the notifying backend
};

class PgConnection {
 public:
  using Clock = std::chrono::steady_clock;
  using Timeout = std::chrono::milliseconds;
  using StatusHandler = std::function<void(Status)>;
  using RowsHandler = std::function<void(Result<PgRows>)>;
  using NotificationHandler = std::function<void(const PgNotification&)>;
  using LossHandler = std::function<void(const Error&)>;

  explicit PgConnection(boost::asio::io_context& io);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Opens the connection to `uri` (a libpq URI or key=value string).
  // Fails with invalid for a URI libpq cannot read, unavailable when the
  // server cannot be reached or refuses, or the timeout passes; failed when
  // already open or opening. Queries asked for meanwhile wait for it.
  void async_connect(const std::string& uri, Timeout timeout, StatusHandler done);

  // One SQL statement with $1, $2 … parameters. Fails with unavailable at
  // once when the connection is neither open nor opening.
  void async_query(std::string sql, std::vector<Param> params, Timeout timeout, RowsHandler done);

  // Several statements separated by semicolons, no parameters (libpq's
  // simple protocol): one implicit transaction unless the text has its own
  // BEGIN/COMMIT. For schema changes; the rows of the last statement.
  void async_script(std::string sql, Timeout timeout, RowsHandler done);

  // LISTEN on `channel` (any text: it is quoted as an identifier).
  void async_listen(std::string_view channel, Timeout timeout, StatusHandler done);

  // Called for each notification on a channel listened to, also while
  // idle. Set it before listening; replaces the previous one.
  void on_notification(NotificationHandler handler) { on_notification_ = std::move(handler); }
  // Called once when an open connection is lost or closes after a timeout
  // (not for a failed connect, nor for close()); queries in flight have
  // already failed with the same error.
  void on_lost(LossHandler handler) { on_lost_ = std::move(handler); }

  // Closes the connection; queries in flight and queued fail with
  // unavailable (on the next turn of the loop). async_connect may follow.
  void close();

  bool is_open() const { return state_ == State::open; }
  // Queries asked for and not answered yet, the one being run included.
  std::size_t pending() const { return queue_.size() + (running_ ? 1 : 0); }
  // The server process of this connection (pg_backend_pid()); 0 unless open.
  int backend_pid() const;

 private:
  enum class State { closed, connecting, open };
  struct Query {
    std::string sql;
    std::vector<Param> params;
    bool script = false;  // PQsendQuery rather than PQsendQueryParams
    Timeout timeout{};
    Clock::time_point deadline;
    RowsHandler done;
  };

  // Connecting: one PQconnectPoll step per socket event.
  void connect_step();

  // Sending and reading.
  void enqueue(Query query);
  void start_next();
  bool send(const Query& query);
  void flush();
  void on_socket_ready(bool readable);
  // Both false when *this was destroyed or closed inside a handler.
  bool drain_notifications();
  bool collect_results();

  // The socket: assigned from PQsocket, released (never closed: it is
  // libpq's) before libpq may close or replace it.
  bool watch_socket();
  void release_socket();
  void wait_socket(bool for_write);

  // Deadlines: one timer, at (or before) the earliest one.
  void arm_timer(Clock::time_point at);
  void on_deadline();

  // Ends the connection. The connect handler, every query's handler and
  // (with tell_lost, if it was open) on_lost hear `error` on the loop's
  // next turn, in that order.
  void lose(Error error, bool tell_lost);
  void post_failure(RowsHandler done, Error error);

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer timer_;
  // Handlers already queued hold a weak_ptr to this and do nothing once it
  // has expired, i.e. once *this is being destroyed.
  std::shared_ptr<int> life_;

  pg_conn* conn_ = nullptr;
  State state_ = State::closed;
  int fd_ = -1;                  // the descriptor socket_ holds, or -1
  std::uint64_t socket_epoch_ = 0;  // bumped at every release: stale waits see it
  bool reading_ = false;         // an async_wait(wait_read) is pending
  bool writing_ = false;         // an async_wait(wait_write) is pending
  int poll_ = 0;                 // the last PQconnectPoll answer while connecting

  StatusHandler connect_done_;
  Clock::time_point connect_deadline_;
  Timeout connect_timeout_{};

  std::deque<Query> queue_;       // not sent yet, in order
  std::optional<Query> running_;  // sent, its result not complete
  bool flushing_ = false;         // PQflush has more to write
  pg_result* last_ = nullptr;     // the running query's latest result
  std::optional<Error> error_;    // its first error
  bool delivering_ = false;       // inside a handler: queries it asks for wait for it to return

  std::optional<Clock::time_point> timer_at_;  // when the timer fires; unset: not armed
  std::uint64_t timer_generation_ = 0;

  NotificationHandler on_notification_;
  LossHandler on_lost_;
};

// The SQLSTATE at the start of a PgConnection error's message, or "".
std::string_view sqlstate(const Error& error);

}  // namespace kutsu::store::pg
