// PgStore: the PostgreSQL outbox of `kutsu serve` with a [store] table
// (interfaces.md "Several daemons, one PostgreSQL database"): the two
// connections a PgOutbox needs (one for claims and queries, one for
// applies), opened from [store] url with its password_file, the schema
// migrated, and this node's heartbeat for the status API.
//
// async_open() connects both, migrates (one node at a time: pg_schema.h)
// and builds the outbox; its handler runs on the loop. start_heartbeat()
// writes this node's heartbeat and loaded versions at once and then every
// `every`. problem() says why the store cannot serve now (a connection
// lost, the last heartbeat failed), for /healthz and the status line; a
// heartbeat that succeeds clears what the heartbeat found.
//
// A lost connection is an outage, not an end: problem() says so (and
// /healthz answers 503) while each lost connection is opened again with
// backoff (kFirstRetry doubling up to kLastRetry); once both are open, the
// wake-ups are listened for again and on_back() is called (the service
// wakes its dispatcher). Meanwhile every call fails with unavailable: the
// dispatcher stops claiming and keeps the results of the deliveries it made
// until they can be recorded (scheduler/dispatcher.h).
//
// Threading and lifetimes: the loop's thread only. Owned by someone else
// (the service), so every handler holds a weak_ptr to `life_`; destroying
// it abandons what is in flight. The io_context and the settings must
// outlive it; whatever uses outbox() must be destroyed first.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/result.h"
#include "config/daemon_config.h"
#include "store/pg/pg_connection.h"
#include "store/pg/pg_outbox.h"

namespace kutsu::service {

// The libpq connection string of [store]: url, with the password of
// password_file (when given) added as libpq's `password` parameter.
// Never log it.
std::string pg_conninfo(const config::StoreSettings& settings);

class PgStore {
 public:
  PgStore(boost::asio::io_context& io, const config::StoreSettings& settings);
  ~PgStore();
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  void async_open(std::function<void(Status)> done);
  // After async_open succeeded.
  store::pg::PgOutbox& outbox() { return *outbox_; }
  bool is_open() const { return outbox_.has_value(); }

  // Called once both connections are open again after a loss.
  void on_back(std::function<void()> handler) { on_back_ = std::move(handler); }

  void start_heartbeat(std::chrono::milliseconds every);
  void stop_heartbeat();

  std::optional<std::string> problem() const;

 private:
  static constexpr std::chrono::milliseconds kFirstRetry{250};
  static constexpr std::chrono::milliseconds kLastRetry{30'000};

  // One of the two connections, and how it comes back after a loss.
  struct Line {
    Line(boost::asio::io_context& io, std::string name) : connection(io), timer(io), name(std::move(name)) {}
    store::pg::PgConnection connection;
    boost::asio::steady_timer timer;
    std::string name;
    std::optional<std::string> lost;  // why, while it is not open again
    std::chrono::milliseconds next_wait = kFirstRetry;
  };

  void opened(Status status);
  void beat();
  void lost(Line& line, const Error& error);
  void reconnect(Line& line);
  void reconnected(Line& line);

  boost::asio::io_context& io_;
  const config::StoreSettings& settings_;
  Line main_;  // claims, results, queries, LISTEN
  Line plan_;  // applies
  store::pg::PgConnection& connection_ = main_.connection;
  store::pg::PgConnection& plan_connection_ = plan_.connection;
  std::optional<store::pg::PgOutbox> outbox_;
  boost::asio::steady_timer heartbeat_timer_;
  std::chrono::milliseconds heartbeat_every_{0};
  bool beat_in_flight_ = false;
  bool outage_ = false;       // a line was lost and on_back() not yet called
  bool relistening_ = false;  // the main line is back and its LISTEN not yet in
  std::optional<std::string> heartbeat_;  // the last heartbeat's failure
  std::function<void()> on_back_;
  std::function<void(Status)> open_done_;
  int connecting_ = 0;  // connects not answered yet
  std::optional<Error> connect_error_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::service
