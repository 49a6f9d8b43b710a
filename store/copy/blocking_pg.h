// BlockingPg: a PgConnection (store/pg/pg_connection.h) on an io_context of
// its own, each call running that loop until its answer is in — for
// one-shot commands such as `kutsu store copy`, which have no event loop to
// keep free and do one thing at a time.
//
// Why not libpq's blocking calls: the PgConnection path is the daemon's, so
// a copy meets the same timeouts, error codes and messages ("[SQLSTATE …]",
// unavailable for a lost server) and the same migrations (pg_schema.h) as
// a node, rather than a second way of talking to the server.
//
// Every call has `timeout` (a lost or stuck server ends it with
// unavailable). Threading: the calling thread only; not copyable.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/pg/pg_connection.h"

namespace kutsu::store::copy {

class BlockingPg {
 public:
  BlockingPg(pg::PgConnection::Timeout connect_timeout, pg::PgConnection::Timeout timeout);
  BlockingPg(const BlockingPg&) = delete;
  BlockingPg& operator=(const BlockingPg&) = delete;

  Status connect(const std::string& uri);
  // The outbox's migrations, as a node runs them at start.
  Status migrate();
  Result<pg::PgRows> query(std::string sql, std::vector<pg::Param> params = {});

 private:
  // Runs the loop until `done` holds.
  Status run_until(const bool& done);

  pg::PgConnection::Timeout connect_timeout_;
  pg::PgConnection::Timeout timeout_;
  boost::asio::io_context io_;
  pg::PgConnection connection_{io_};  // after io_: destroyed before it
};

}  // namespace kutsu::store::copy
