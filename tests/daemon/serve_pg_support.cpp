#include "tests/daemon/serve_pg_support.h"

#include <libpq-fe.h>

#include <stdexcept>

#include "tests/fixtures/postgres_cluster.h"

namespace kutsu::daemon::testing {

using namespace std::chrono_literals;

PgNodes::PgNodes(std::string lease)
    : lease_(std::move(lease)), uri_(kutsu::testing::PostgresCluster::shared().fresh_database()) {}

// The nodes stop before the SMTP server and the folder go (members' order
// would do it too; said here because it matters).
PgNodes::~PgNodes() { running_.clear(); }

std::filesystem::path PgNodes::add_node(const std::string& name,
                                        const std::map<std::string, std::string>& files) {
  const std::filesystem::path dir = dir_.path() / name;
  for (const auto& [file, text] : files) dir_.write(name + "/series.d/" + file, text);
  std::filesystem::create_directories(dir / "series.d");
  dir_.write(name + "/admin-token", std::string(kToken) + "\n");
  const std::string config = daemon_config(dir, smtp_.url(), "token_file = \"admin-token\"\n") +
                             "\n[store]\n"
                             "url = \"" + uri_ + "\"\n"
                             "node = \"" + name + "\"\n"
                             "lease = \"" + lease_ + "\"\n";
  configs_[name] = dir_.write(name + "/kutsu.toml", config);
  return configs_[name];
}

void PgNodes::write(const std::string& name, const std::string& file, const std::string& text) {
  dir_.write(name + "/series.d/" + file, text);
}

ServeProcess& PgNodes::start(const std::string& name) {
  auto& slot = running_[name];
  slot = std::make_unique<ServeProcess>(configs_.at(name));
  return *slot;
}

void PgNodes::drain_all() {
  for (auto& [name, process] : running_) {
    if (process) process->drain();
  }
}

bool PgNodes::receive_until(const std::function<bool()>& until,
                            std::chrono::milliseconds patience) {
  auto last = std::chrono::steady_clock::now();
  while (!until()) {
    drain_all();
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp_.next_message(200ms);
    if (message) {
      ++received_[notification_id_of(message->data)];
      last = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last > patience) {
      return false;
    }
  }
  return true;
}

void PgNodes::receive_while_any(std::chrono::milliseconds quiet) {
  receive_until([] { return false; }, quiet);
}

std::size_t PgNodes::received_total() const {
  std::size_t total = 0;
  for (const auto& [id, count] : received_) total += static_cast<std::size_t>(count);
  return total;
}

long long PgNodes::scalar(const std::string& sql) const {
  PGconn* connection = PQconnectdb(uri_.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string error = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot connect to the test database: " + error);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) < 1 || PQnfields(result) < 1) {
    const std::string error = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(connection);
    throw std::runtime_error(sql + ": " + error);
  }
  const long long value = PQgetisnull(result, 0, 0) ? 0 : std::stoll(PQgetvalue(result, 0, 0));
  PQclear(result);
  PQfinish(connection);
  return value;
}

bool PgNodes::await_scalar(const std::string& sql, long long value,
                           std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (scalar(sql) != value) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    drain_all();
    // The database has no event to wait on here: the SMTP server's next
    // message (or 100 ms) paces the next look.
    if (std::optional<kutsu::testing::SmtpServer::Message> message = smtp_.next_message(100ms)) {
      ++received_[notification_id_of(message->data)];
    }
  }
  return true;
}

int PgNodes::sent_by(const std::string& name) {
  ServeProcess& process = *running_.at(name);
  process.drain();
  const std::string& log = process.process().stdout_text();
  int count = 0;
  for (std::size_t at = log.find(" info sent "); at != std::string::npos; at = log.find(" info sent ", at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace kutsu::daemon::testing
