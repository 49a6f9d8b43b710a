// Shared pieces of the PostgreSQL store tests: running the event loop until
// something happened (never a sleep), and one-line connect and query calls
// for tests whose subject is not the waiting itself.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/pg/pg_connection.h"

namespace kutsu::store::pg::testing {

using namespace std::chrono_literals;

// Runs `io` until `done()` holds; false if `limit` passed first or nothing
// was left to run.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (io.run_one_for(deadline - now) == 0 && io.stopped()) {
      io.restart();
      if (io.poll_one() == 0) return done();  // no work left: it will not happen
    }
  }
  return true;
}

inline Status connect(boost::asio::io_context& io, PgConnection& connection,
                      const std::string& uri) {
  std::optional<Status> got;
  connection.async_connect(uri, 5s, [&](Status status) { got = std::move(status); });
  if (!run_until(io, [&] { return got.has_value(); })) {
    return Error{"the connect handler was not called", ErrorCode::failed};
  }
  return *got;
}

inline Result<PgRows> query(boost::asio::io_context& io, PgConnection& connection, std::string sql,
                            std::vector<Param> params = {},
                            PgConnection::Timeout timeout = 5s) {
  std::optional<Result<PgRows>> got;
  connection.async_query(std::move(sql), std::move(params), timeout,
                         [&](Result<PgRows> rows) { got = std::move(rows); });
  if (!run_until(io, [&] { return got.has_value(); }, timeout + 5s)) {
    return Error{"the query handler was not called", ErrorCode::failed};
  }
  return *got;
}

}  // namespace kutsu::store::pg::testing
