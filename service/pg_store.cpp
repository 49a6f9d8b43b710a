#include "service/pg_store.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include <spdlog/spdlog.h>

#include "store/pg/pg_schema.h"

namespace kutsu::service {

namespace {

using store::pg::PgConnection;

constexpr PgConnection::Timeout kConnectTimeout{10'000};
// Waiting for another node's migration is part of it.
constexpr PgConnection::Timeout kMigrateTimeout{60'000};

bool is_uri(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string percent_encoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// A key=value value: quoted, with \ and ' escaped (libpq's rule).
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string pg_conninfo(const config::StoreSettings& settings) {
  if (!settings.password) return settings.url;
  const std::string& password = settings.password->reveal();
  if (is_uri(settings.url)) {
    const char separator = settings.url.find('?') == std::string::npos ? '?' : '&';
    return settings.url + separator + "password=" + percent_encoded(password);
  }
  return settings.url + " password=" + quoted(password);
}

PgStore::PgStore(boost::asio::io_context& io, const config::StoreSettings& settings)
    : io_(io),
      settings_(settings),
      main_(io, "main"),
      plan_(io, "plan"),
      heartbeat_timer_(io) {
  for (Line* line : {&main_, &plan_}) {
    line->connection.on_lost([this, line, life = std::weak_ptr<int>(life_)](const Error& error) {
      if (!life.expired()) lost(*line, error);
    });
  }
}

void PgStore::lost(Line& line, const Error& error) {
  spdlog::error("outbox: the {} connection to PostgreSQL was lost: {}; connecting again",
                line.name, error.message);
  line.lost = error.message;
  outage_ = true;
  line.next_wait = kFirstRetry;
  reconnect(line);
}

// Backoff: a database restarting is back in a second or two; one that is
// down for long is asked every kLastRetry, not hammered.
void PgStore::reconnect(Line& line) {
  line.timer.expires_after(line.next_wait);
  line.next_wait = std::min(line.next_wait * 2, kLastRetry);
  line.timer.async_wait([this, &line, life = std::weak_ptr<int>(life_)](
                            const boost::system::error_code& error) {
    if (error || life.expired()) return;
    line.connection.async_connect(
        pg_conninfo(settings_), kConnectTimeout, [this, &line, life](Status connected) {
          if (life.expired()) return;
          if (!connected) {
            spdlog::warn("outbox: PostgreSQL ({} connection) not back yet: {}", line.name,
                         connected.error().message);
            return reconnect(line);
          }
          reconnected(line);
        });
  });
}

void PgStore::reconnected(Line& line) {
  spdlog::info("outbox: the {} connection to PostgreSQL is open again", line.name);
  line.lost.reset();
  auto back = [this] {
    // Once per outage: both lines, and the LISTEN, may finish in any order.
    if (main_.lost || plan_.lost || relistening_ || !outage_) return;
    outage_ = false;
    spdlog::info("outbox: PostgreSQL is back; claiming again");
    // Every node lost the database, and each may hold results it could not
    // record (their leases ran out meanwhile): a lease's time to record
    // them before this node takes anything over. That covers the others'
    // reconnects when the lease exceeds kLastRetry (the default PT60S does).
    outbox_->pause_take_over(std::chrono::steady_clock::now() +
                             std::chrono::duration_cast<std::chrono::milliseconds>(settings_.lease));
    // The heartbeat says so now rather than at its next turn (/healthz).
    if (heartbeat_every_.count() > 0 && !beat_in_flight_) {
      heartbeat_timer_.cancel();
      beat();
    }
    if (on_back_) on_back_();
  };
  if (&line != &main_ || !outbox_) return back();
  // A new session listens to nothing: wake-ups from other nodes would
  // otherwise only reach this one at its capped wait.
  relistening_ = true;
  outbox_->async_listen_again([this, back, life = std::weak_ptr<int>(life_)](Status listening) {
    // Told once the LISTEN is in: a wake-up sent from now on reaches us.
    if (life.expired()) return;
    relistening_ = false;
    if (!listening) {
      spdlog::error("outbox: cannot listen for new due times from other nodes again: {}",
                    listening.error().message);
    }
    back();
  });
}

// The outbox goes before the connections it queries on (members' order).
PgStore::~PgStore() { life_.reset(); }

void PgStore::async_open(std::function<void(Status)> done) {
  open_done_ = std::move(done);
  const std::string conninfo = pg_conninfo(settings_);
  connecting_ = 2;
  for (PgConnection* connection : {&connection_, &plan_connection_}) {
    connection->async_connect(conninfo, kConnectTimeout,
                              [this, life = std::weak_ptr<int>(life_)](Status connected) {
                                if (life.expired()) return;
                                if (!connected && !connect_error_) connect_error_ = connected.error();
                                if (--connecting_ > 0) return;
                                if (connect_error_) {
                                  return opened(Error{"cannot connect to PostgreSQL at " +
                                                          settings_.url + ": " +
                                                          connect_error_->message,
                                                      connect_error_->code});
                                }
                                store::pg::migrate(
                                    connection_, kMigrateTimeout,
                                    [this, life](Result<int> version) {
                                      if (life.expired()) return;
                                      if (!version) {
                                        return opened(Error{"cannot bring the PostgreSQL outbox "
                                                            "schema up to date: " +
                                                                version.error().message,
                                                            version.error().code});
                                      }
                                      opened({});
                                    });
                              });
  }
}

void PgStore::opened(Status status) {
  if (status) {
    store::pg::PgOutboxSettings outbox;
    outbox.node = settings_.node;
    outbox.lease = settings_.lease;
    outbox_.emplace(io_, connection_, plan_connection_, std::move(outbox));
    spdlog::info("outbox: PostgreSQL at {} as node {} (lease {} s)", settings_.url, settings_.node,
                 settings_.lease.count());
  }
  std::exchange(open_done_, nullptr)(std::move(status));
}

void PgStore::start_heartbeat(std::chrono::milliseconds every) {
  heartbeat_every_ = every;
  beat();
}

void PgStore::stop_heartbeat() {
  heartbeat_every_ = std::chrono::milliseconds{0};
  heartbeat_timer_.cancel();
}

void PgStore::beat() {
  beat_in_flight_ = true;
  outbox_->async_heartbeat([this, life = std::weak_ptr<int>(life_)](Status written) {
    if (life.expired()) return;
    beat_in_flight_ = false;
    if (!written) {
      if (!heartbeat_) {
        spdlog::error("outbox: cannot write this node's heartbeat: {}", written.error().message);
      }
      heartbeat_ = written.error().message;
    } else {
      heartbeat_.reset();
    }
    if (heartbeat_every_.count() == 0) return;
    heartbeat_timer_.expires_after(heartbeat_every_);
    heartbeat_timer_.async_wait(
        [this, life](const boost::system::error_code& error) {
          if (error || life.expired() || heartbeat_every_.count() == 0) return;
          beat();
        });
  });
}

std::optional<std::string> PgStore::problem() const {
  if (!outbox_) return std::string("not connected to PostgreSQL yet");
  for (const Line* line : {&main_, &plan_}) {
    if (line->lost) return "the connection to PostgreSQL was lost: " + *line->lost;
  }
  if (heartbeat_) return "PostgreSQL does not take this node's heartbeat: " + *heartbeat_;
  return std::nullopt;
}

}  // namespace kutsu::service
