#include "store/copy/blocking_pg.h"

#include <optional>
#include <utility>

#include "store/pg/pg_schema.h"

namespace kutsu::store::copy {

BlockingPg::BlockingPg(pg::PgConnection::Timeout connect_timeout,
                       pg::PgConnection::Timeout timeout)
    : connect_timeout_(connect_timeout), timeout_(timeout) {}

Status BlockingPg::run_until(const bool& done) {
  // PgConnection answers every call exactly once, on the loop, within its
  // timeout; the loop running out of work first would be a bug in it.
  while (!done) {
    if (io_.run_one() == 0) {
      io_.restart();
      if (!done && io_.poll_one() == 0 && !done) {
        return Error{"the PostgreSQL connection stopped answering (nothing left to run)"};
      }
    }
  }
  return {};
}

Status BlockingPg::connect(const std::string& uri) {
  std::optional<Status> got;
  bool done = false;
  connection_.async_connect(uri, connect_timeout_, [&](Status status) {
    got = std::move(status);
    done = true;
  });
  if (Status ran = run_until(done); !ran) return ran;
  return *got;
}

Status BlockingPg::migrate() {
  std::optional<Result<int>> got;
  bool done = false;
  pg::migrate(connection_, timeout_, [&](Result<int> version) {
    got = std::move(version);
    done = true;
  });
  if (Status ran = run_until(done); !ran) return ran;
  if (!*got) return got->error();
  return {};
}

Result<pg::PgRows> BlockingPg::query(std::string sql, std::vector<pg::Param> params) {
  std::optional<Result<pg::PgRows>> got;
  bool done = false;
  connection_.async_query(std::move(sql), std::move(params), timeout_,
                          [&](Result<pg::PgRows> rows) {
                            got = std::move(rows);
                            done = true;
                          });
  if (Status ran = run_until(done); !ran) return ran.error();
  return std::move(*got);
}

}  // namespace kutsu::store::copy
