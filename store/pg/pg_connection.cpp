#include "store/pg/pg_connection.h"

#include <libpq-fe.h>

#include <boost/asio/post.hpp>
#include <charconv>
#include <utility>

namespace kutsu::store::pg {
namespace {

using boost::asio::posix::stream_descriptor;

// NOTICEs (CREATE … IF NOT EXISTS that did nothing) would go to stderr.
void ignore_notice(void*, const char*) {}

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

std::string libpq_message(const PGconn* conn) {
  std::string text = conn != nullptr ? trimmed(PQerrorMessage(conn)) : "";
  return text.empty() ? "out of memory" : text;
}

std::string milliseconds(PgConnection::Timeout timeout) {
  return std::to_string(timeout.count()) + " ms";
}

// The statement as a reader of the log wants it: one line, not too long.
std::string excerpt(std::string_view sql) {
  std::string line;
  for (char c : sql) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : c;
    if (line.size() >= 120) return line + "…";
  }
  return trimmed(line);
}

// Connection trouble (08), no resources (53), the server shutting down or
// not yet up (57P): try again later, elsewhere or after reconnecting.
ErrorCode code_for(std::string_view state) {
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57P")) {
    return ErrorCode::unavailable;
  }
  if (state == "40001" || state == "40P01") return ErrorCode::conflict;
  return ErrorCode::invalid;
}

Error result_error(const PGconn* conn, const PGresult* result, std::string_view sql) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string text = primary != nullptr ? primary : trimmed(PQresultErrorMessage(result));
  if (text.empty()) text = libpq_message(conn);
  const std::string in = " (in: " + excerpt(sql) + ")";
  if (state == nullptr) {
    // libpq's own error: the connection broke, or the answer made no sense.
    return Error{"PostgreSQL: " + text + in, ErrorCode::unavailable};
  }
  return Error{"[SQLSTATE " + std::string(state) + "] " + text + in, code_for(state)};
}

PgRows rows_of(PGresult* result) {
  PgRows rows;
  const int columns = PQnfields(result);
  const int count = PQntuples(result);
  rows.columns.reserve(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) rows.columns.emplace_back(PQfname(result, c));
  rows.rows.reserve(static_cast<std::size_t>(count));
  for (int r = 0; r < count; ++r) {
    std::vector<PgRows::Value>& row = rows.rows.emplace_back();
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back();
      } else {
        row.emplace_back(std::in_place, PQgetvalue(result, r, c),
                         static_cast<std::size_t>(PQgetlength(result, r, c)));
      }
    }
  }
  rows.command = PQcmdStatus(result);
  const std::string_view tuples = PQcmdTuples(result);
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), rows.affected);
  return rows;
}

}  // namespace

PgConnection::PgConnection(boost::asio::io_context& io)
    : io_(io), socket_(io), timer_(io), life_(std::make_shared<int>(0)) {}

PgConnection::~PgConnection() {
  life_.reset();
  release_socket();  // before PQfinish closes the socket under it
  if (last_ != nullptr) PQclear(last_);
  if (conn_ != nullptr) PQfinish(conn_);
}

void PgConnection::async_connect(const std::string& uri, Timeout timeout, StatusHandler done) {
  auto refuse = [&](Error error) {
    boost::asio::post(io_, [done = std::move(done), error = std::move(error),
                            life = std::weak_ptr<int>(life_)] {
      if (!life.expired()) done(error);
    });
  };
  if (state_ != State::closed) {
    return refuse(Error{"the PostgreSQL connection is already open or opening", ErrorCode::failed});
  }
  // A URI libpq cannot read is the caller's mistake, not an outage.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &parse_error);
  if (options == nullptr) {
    const bool said_why = parse_error != nullptr;
    std::string why = said_why ? trimmed(parse_error) : "out of memory";
    if (said_why) PQfreemem(parse_error);
    return refuse(Error{"cannot read the PostgreSQL URI: " + why,
                        said_why ? ErrorCode::invalid : ErrorCode::failed});
  }
  PQconninfoFree(options);
  conn_ = PQconnectStart(uri.c_str());
  if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    // Failed at once: no memory, or (a Unix socket that is not there) no server.
    Error error{"cannot connect to PostgreSQL: " + libpq_message(conn_), ErrorCode::unavailable};
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    return refuse(std::move(error));
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  state_ = State::connecting;
  connect_done_ = std::move(done);
  connect_timeout_ = timeout;
  connect_deadline_ = Clock::now() + timeout;
  arm_timer(connect_deadline_);
  // As libpq says: before the first PQconnectPoll, wait as if it had asked
  // for writing.
  poll_ = PGRES_POLLING_WRITING;
  if (!watch_socket()) {
    return lose(Error{"cannot connect to PostgreSQL: " + libpq_message(conn_), ErrorCode::unavailable},
                false);
  }
  wait_socket(true);
}

void PgConnection::connect_step() {
  // libpq may close the socket and open another inside PQconnectPoll (the
  // next address of a host, SSL refused and tried without): let go of it
  // first, take whatever it is afterwards.
  release_socket();
  poll_ = PQconnectPoll(conn_);
  switch (poll_) {
    case PGRES_POLLING_FAILED:
      return lose(Error{"cannot connect to PostgreSQL: " + libpq_message(conn_), ErrorCode::unavailable},
                  false);
    case PGRES_POLLING_OK:
      break;
    default:  // reading or writing
      if (!watch_socket()) {
        return lose(Error{"cannot connect to PostgreSQL: no socket", ErrorCode::unavailable}, false);
      }
      return wait_socket(poll_ == PGRES_POLLING_WRITING);
  }
  if (PQsetnonblocking(conn_, 1) != 0 || !watch_socket()) {
    return lose(Error{"cannot use the PostgreSQL connection: " + libpq_message(conn_),
                      ErrorCode::unavailable},
                false);
  }
  state_ = State::open;
  wait_socket(false);  // from now on always: notifications, results, a close
  StatusHandler done = std::move(connect_done_);
  connect_done_ = nullptr;
  std::weak_ptr<int> alive = life_;
  delivering_ = true;
  done(Status{});
  if (alive.expired()) return;
  delivering_ = false;
  start_next();
}

void PgConnection::async_query(std::string sql, std::vector<Param> params, Timeout timeout,
                               RowsHandler done) {
  enqueue(Query{std::move(sql), std::move(params), false, timeout, Clock::now() + timeout,
                std::move(done)});
}

void PgConnection::async_script(std::string sql, Timeout timeout, RowsHandler done) {
  enqueue(Query{std::move(sql), {}, true, timeout, Clock::now() + timeout, std::move(done)});
}

void PgConnection::async_listen(std::string_view channel, Timeout timeout, StatusHandler done) {
  auto finish = [done = std::move(done)](Result<PgRows> result) {
    done(result ? Status{} : Status{result.error()});
  };
  if (conn_ == nullptr) {
    return post_failure(std::move(finish),
                        Error{"not connected to PostgreSQL", ErrorCode::unavailable});
  }
  char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
  if (quoted == nullptr) {
    return post_failure(std::move(finish),
                        Error{"cannot LISTEN: " + libpq_message(conn_), ErrorCode::invalid});
  }
  std::string sql = "LISTEN " + std::string(quoted);
  PQfreemem(quoted);
  async_script(std::move(sql), timeout, std::move(finish));
}

void PgConnection::enqueue(Query query) {
  if (state_ == State::closed) {
    return post_failure(std::move(query.done),
                        Error{"not connected to PostgreSQL", ErrorCode::unavailable});
  }
  const Clock::time_point deadline = query.deadline;
  queue_.push_back(std::move(query));
  arm_timer(deadline);
  // Inside a handler this connection called, the loop that called it sends
  // the next query when the handler returns.
  if (state_ == State::open && !running_ && !delivering_) start_next();
}

void PgConnection::start_next() {
  while (state_ == State::open && !running_ && !queue_.empty()) {
    running_ = std::move(queue_.front());
    queue_.pop_front();
    if (send(*running_)) return flush();
    if (PQstatus(conn_) == CONNECTION_BAD) {
      return lose(Error{"lost the connection to PostgreSQL: " + libpq_message(conn_),
                        ErrorCode::unavailable},
                  true);
    }
    // Refused before anything was sent (too many parameters, say): this
    // query alone fails.
    Error error{"cannot send to PostgreSQL: " + libpq_message(conn_) + " (in: " +
                    excerpt(running_->sql) + ")",
                ErrorCode::invalid};
    post_failure(std::move(running_->done), std::move(error));
    running_.reset();
  }
}

bool PgConnection::send(const Query& query) {
  if (query.script) return PQsendQuery(conn_, query.sql.c_str()) == 1;
  std::vector<const char*> values;
  values.reserve(query.params.size());
  for (const Param& param : query.params) values.push_back(param ? param->c_str() : nullptr);
  return PQsendQueryParams(conn_, query.sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0) == 1;
}

void PgConnection::flush() {
  const int left = PQflush(conn_);
  if (left < 0) {
    return lose(Error{"lost the connection to PostgreSQL: " + libpq_message(conn_),
                      ErrorCode::unavailable},
                true);
  }
  flushing_ = left == 1;
  if (flushing_) wait_socket(true);
}

void PgConnection::on_socket_ready(bool readable) {
  if (state_ == State::connecting) return connect_step();
  if (state_ != State::open) return;
  if (readable && PQconsumeInput(conn_) == 0) {
    return lose(Error{"lost the connection to PostgreSQL: " + libpq_message(conn_),
                      ErrorCode::unavailable},
                true);
  }
  if (flushing_) {
    flush();
    if (state_ != State::open) return;
  }
  if (!drain_notifications() || !collect_results()) return;
  wait_socket(false);
}

bool PgConnection::drain_notifications() {
  while (state_ == State::open) {
    PGnotify* raw = PQnotifies(conn_);
    if (raw == nullptr) return true;
    PgNotification notification{raw->relname, raw->extra, raw->be_pid};
    PQfreemem(raw);
    if (!on_notification_) continue;
    NotificationHandler handler = on_notification_;  // it may replace itself
    std::weak_ptr<int> alive = life_;
    handler(notification);
    if (alive.expired()) return false;
  }
  return false;
}

bool PgConnection::collect_results() {
  while (state_ == State::open && running_ && !flushing_) {
    if (PQisBusy(conn_)) return true;  // the rest is still on its way
    PGresult* result = PQgetResult(conn_);
    if (result != nullptr) {
      switch (PQresultStatus(result)) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
          if (last_ != nullptr) PQclear(last_);
          last_ = result;  // a script answers with its last statement's rows
          break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
          PQclear(result);
          lose(Error{"COPY is not supported on this connection (in: " + excerpt(running_->sql) + ")",
                     ErrorCode::failed},
               true);
          return false;
        default:  // an error; the first one says what went wrong
          if (!error_) error_ = result_error(conn_, result, running_->sql);
          PQclear(result);
          break;
      }
      if (!drain_notifications()) return false;
      continue;
    }
    // No more results: the query is done.
    Query query = std::move(*running_);
    running_.reset();
    Result<PgRows> outcome = error_ ? Result<PgRows>(*error_)
                                    : Result<PgRows>(last_ != nullptr ? rows_of(last_) : PgRows{});
    if (last_ != nullptr) PQclear(last_);
    last_ = nullptr;
    error_.reset();
    // The server ended the session (shutting down, terminated) or libpq
    // found the connection broken: nothing more will come on it.
    const bool ended = PQstatus(conn_) == CONNECTION_BAD ||
                       (!outcome.ok() && outcome.error().code == ErrorCode::unavailable);
    std::optional<Error> why;
    if (ended) why = outcome.error();
    std::weak_ptr<int> alive = life_;
    delivering_ = true;
    query.done(std::move(outcome));
    if (alive.expired()) return false;
    delivering_ = false;
    if (ended && state_ == State::open) {
      lose(why.value_or(Error{"lost the connection to PostgreSQL", ErrorCode::unavailable}), true);
      return false;
    }
    start_next();
  }
  return state_ == State::open;
}

bool PgConnection::watch_socket() {
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  boost::system::error_code ec;
  socket_.assign(fd, ec);
  if (ec) return false;
  fd_ = fd;
  return true;
}

void PgConnection::release_socket() {
  if (fd_ >= 0) {
    // release(), not close(): the descriptor is libpq's. Waits still
    // pending end with operation_aborted and see the epoch has moved on.
    static_cast<void>(socket_.release());
    fd_ = -1;
  }
  ++socket_epoch_;
  reading_ = false;
  writing_ = false;
}

void PgConnection::wait_socket(bool for_write) {
  bool& waiting = for_write ? writing_ : reading_;
  if (waiting || fd_ < 0) return;
  waiting = true;
  socket_.async_wait(for_write ? stream_descriptor::wait_write : stream_descriptor::wait_read,
                     [this, for_write, epoch = socket_epoch_,
                      life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
                       if (life.expired() || epoch != socket_epoch_) return;
                       (for_write ? writing_ : reading_) = false;
                       if (ec == boost::asio::error::operation_aborted) return;
                       if (ec) {
                         return lose(Error{"lost the connection to PostgreSQL: " + ec.message(),
                                           ErrorCode::unavailable},
                                     state_ == State::open);
                       }
                       on_socket_ready(!for_write);
                     });
}

void PgConnection::arm_timer(Clock::time_point at) {
  if (timer_at_ && *timer_at_ <= at) return;  // fires early enough already
  timer_at_ = at;
  timer_.expires_at(at);  // a wait still pending ends, and sees the generation moved on
  timer_.async_wait([this, generation = ++timer_generation_,
                     life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
    if (life.expired() || generation != timer_generation_ || ec) return;
    timer_at_.reset();
    on_deadline();
  });
}

void PgConnection::on_deadline() {
  const Clock::time_point now = Clock::now();
  if (state_ == State::connecting && connect_deadline_ <= now) {
    return lose(Error{"could not connect to PostgreSQL within " + milliseconds(connect_timeout_),
                      ErrorCode::unavailable},
                false);
  }
  if (running_ && running_->deadline <= now) {
    return lose(Error{"PostgreSQL did not answer within " + milliseconds(running_->timeout) +
                          "; the connection was closed (in: " + excerpt(running_->sql) + ")",
                      ErrorCode::unavailable},
                true);
  }
  std::optional<Clock::time_point> next;
  if (state_ == State::connecting) next = connect_deadline_;
  if (running_ && (!next || running_->deadline < *next)) next = running_->deadline;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->deadline <= now) {
      post_failure(std::move(it->done),
                   Error{"waited " + milliseconds(it->timeout) +
                             " for the PostgreSQL connection without getting a turn (in: " +
                             excerpt(it->sql) + ")",
                         ErrorCode::unavailable});
      it = queue_.erase(it);
      continue;
    }
    if (!next || it->deadline < *next) next = it->deadline;
    ++it;
  }
  if (next) arm_timer(*next);
}

void PgConnection::lose(Error error, bool tell_lost) {
  const bool was_open = state_ == State::open;
  std::vector<RowsHandler> failed;
  if (running_) failed.push_back(std::move(running_->done));
  for (Query& query : queue_) failed.push_back(std::move(query.done));
  running_.reset();
  queue_.clear();
  StatusHandler connect_done = std::move(connect_done_);
  connect_done_ = nullptr;

  release_socket();
  if (last_ != nullptr) PQclear(last_);
  last_ = nullptr;
  error_.reset();
  flushing_ = false;
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  state_ = State::closed;
  timer_.cancel();
  timer_at_.reset();
  ++timer_generation_;

  // Everyone hears of it on the next turn of the loop, in the order they
  // asked: never inside the call that found out (it may be a user's call).
  boost::asio::post(io_, [this, error = std::move(error), failed = std::move(failed),
                          connect_done = std::move(connect_done),
                          tell = tell_lost && was_open, life = std::weak_ptr<int>(life_)] {
    if (life.expired()) return;
    if (connect_done) {
      connect_done(error);
      if (life.expired()) return;
    }
    for (const RowsHandler& done : failed) {
      done(error);
      if (life.expired()) return;
    }
    if (tell && on_lost_) {
      LossHandler handler = on_lost_;
      handler(error);
    }
  });
}

void PgConnection::post_failure(RowsHandler done, Error error) {
  boost::asio::post(io_, [done = std::move(done), error = std::move(error),
                          life = std::weak_ptr<int>(life_)] {
    if (!life.expired()) done(error);
  });
}

void PgConnection::close() {
  if (state_ == State::closed) return;
  lose(Error{"the PostgreSQL connection was closed", ErrorCode::unavailable}, false);
}

int PgConnection::backend_pid() const {
  return state_ == State::open ? PQbackendPID(conn_) : 0;
}

std::string_view sqlstate(const Error& error) {
  constexpr std::string_view prefix = "[SQLSTATE ";
  std::string_view message = error.message;
  if (!message.starts_with(prefix) || message.size() < prefix.size() + 6 ||
      message[prefix.size() + 5] != ']') {
    return {};
  }
  return message.substr(prefix.size(), 5);
}

}  // namespace kutsu::store::pg
