// OutboxTables over a PostgreSQL outbox (store/pg/), through BlockingPg.
#include <chrono>
#include <memory>
#include <string>

#include "store/copy/blocking_pg.h"
#include "store/copy/outbox_tables.h"
#include "store/pg/pg_schema.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::copy {
namespace {

using namespace std::chrono_literals;

// A statement that takes longer than this is stuck, not slow: the largest
// is one batch of rows.
constexpr pg::PgConnection::Timeout kStatementTimeout = 10min;
constexpr pg::PgConnection::Timeout kConnectTimeout = 30s;
// How long the copy waits for another session's locks on the destination
// before saying that something else is using it.
constexpr std::string_view kLockTimeout = "10s";

std::string_view array_type(ColumnType type) {
  switch (type) {
    case ColumnType::text: return "text[]";
    case ColumnType::integer: return "bigint[]";
    case ColumnType::flag: return "boolean[]";
  }
  return "text[]";
}

std::string table_list() {
  std::string list;
  for (const CopyTable& table : copy_tables()) {
    if (!list.empty()) list += ", ";
    list += table.name;
  }
  return list;
}

class PgTables final : public OutboxTables {
 public:
  explicit PgTables(std::string where) : where_(std::move(where)) {}

  Status open(const std::string& uri) {
    if (Status connected = pg_.connect(uri); !connected) {
      // PgConnection's message says it could not connect and libpq's why.
      Error error = connected.error();
      error.message = where_ + ": " + error.message;
      return error;
    }
    if (Status migrated = pg_.migrate(); !migrated) return fail("migrating the schema", migrated);
    return {};
  }

  Result<std::int64_t> count(const CopyTable& table, std::string_view where) override {
    std::string sql = "SELECT count(*) FROM " + std::string(table.name);
    if (!where.empty()) sql += " WHERE " + std::string(where);
    Result<pg::PgRows> rows = pg_.query(std::move(sql));
    if (!rows) return fail("counting " + std::string(table.name), rows);
    return read_value([&] { return pg::integer_at(*rows, 0, 0); });
  }

  Result<std::vector<std::string>> live_users(std::chrono::seconds within) override {
    Result<pg::PgRows> nodes = pg_.query(
        "SELECT name, floor(extract(epoch FROM clock_timestamp() - heartbeat_at))::bigint"
        " FROM nodes WHERE heartbeat_at > clock_timestamp() - make_interval(secs => $1::bigint)"
        " ORDER BY name",
        {std::to_string(within.count())});
    if (!nodes) return fail("reading the nodes", nodes);
    // A node heartbeats every third of its lease, which may be longer than
    // `within`: its connections show it too. Another session whose last
    // statement was on the outbox (a claim, a heartbeat, LISTEN kutsu_due)
    // is a daemon, or someone the copy should not race either.
    Result<pg::PgRows> sessions = pg_.query(
        "SELECT pid, coalesce(host(client_addr), 'this machine') FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND backend_type = 'client backend'"
        " AND (query ILIKE '%notifications%' OR query ILIKE '%kutsu_due%'"
        "      OR query ILIKE '%node_series%' OR query ILIKE '%UPDATE nodes%')"
        " ORDER BY pid");
    if (!sessions) return fail("reading the connections", sessions);
    return read_value([&] {
      std::vector<std::string> users;
      for (std::size_t i = 0; i < nodes->size(); ++i) {
        users.push_back("node " + pg::text_at(*nodes, i, 0) + " (heartbeat " +
                        std::to_string(pg::integer_at(*nodes, i, 1)) + " s ago)");
      }
      for (std::size_t i = 0; i < sessions->size(); ++i) {
        users.push_back("a connection from " + pg::text_at(*sessions, i, 1) + " (server pid " +
                        pg::text_at(*sessions, i, 0) + ")");
      }
      return users;
    });
  }

  Status begin_reading() override {
    // One snapshot for every table; nothing written.
    return run("starting to read", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  Status read(const CopyTable& table, std::size_t batch_rows, const BatchHandler& each) override {
    const std::string what = "reading " + std::string(table.name);
    std::string columns;
    for (const CopyColumn& column : table.columns) {
      if (!columns.empty()) columns += ", ";
      columns += "t." + std::string(column.pg);
    }
    // A cursor: the table comes over batch_rows at a time, never whole.
    if (Status declared = run(what, "DECLARE kutsu_copy NO SCROLL CURSOR FOR SELECT " + columns +
                                        " FROM " + std::string(table.name) + " AS t ORDER BY " +
                                        std::string(table.pg_order));
        !declared) {
      return declared;
    }
    const std::string fetch = "FETCH FORWARD " + std::to_string(batch_rows) + " FROM kutsu_copy";
    for (;;) {
      Result<pg::PgRows> rows = pg_.query(fetch);
      if (!rows) return fail(what, rows);
      if (rows->empty()) break;
      std::vector<CopyRow> batch;
      batch.reserve(rows->size());
      for (auto& values : rows->rows) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          // Booleans come as t/f; the canonical flag is 1/0.
          if (table.columns[i].type == ColumnType::flag && values[i]) {
            values[i] = *values[i] == "t" ? "1" : "0";
          }
        }
        batch.push_back(std::move(values));
      }
      if (Status handled = each(batch); !handled) return handled;
    }
    return run(what, "CLOSE kutsu_copy");
  }

  Status finish_reading() override { return run("finishing the read", "COMMIT"); }

  Status begin_writing() override {
    if (Status begun = run("starting the copy's transaction", "BEGIN"); !begun) return begun;
    if (Status limited = run("starting the copy's transaction",
                             "SET LOCAL lock_timeout = '" + std::string(kLockTimeout) + "'");
        !limited) {
      return limited;
    }
    // No apply (kPlanLock) and no other writer (EXCLUSIVE lets readers be)
    // until the commit: what the emptiness check sees stays true.
    Result<pg::PgRows> locked =
        pg_.query("SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(pg::kPlanLock)});
    if (!locked) return fail("waiting for the plan lock", locked);
    Status tables = run("locking the tables", "LOCK TABLE " + table_list() + " IN EXCLUSIVE MODE");
    if (!tables && pg::sqlstate(tables.error()) == "55P03") {
      return Error{where_ + " is in use (a table stayed locked for " + std::string(kLockTimeout) +
                       "): stop every kutsu serve on it first",
                   ErrorCode::conflict};
    }
    return tables;
  }

  Status clear(const CopyTable& table) override {
    return run("emptying " + std::string(table.name), "DELETE FROM " + std::string(table.name));
  }

  Status write(const CopyTable& table, const std::vector<CopyRow>& rows) override {
    // One statement per batch: every column as one array parameter,
    // unnest()ed back into rows (as the plan apply sends its rows).
    std::string columns;
    std::string arrays;
    std::vector<pg::Param> params;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const CopyColumn& column = table.columns[i];
      std::vector<pg::Param> values;
      values.reserve(rows.size());
      for (const CopyRow& row : rows) values.push_back(row[i]);
      params.push_back(pg::array_literal(values));
      if (i > 0) {
        columns += ", ";
        arrays += ", ";
      }
      columns += column.pg;
      arrays += "$" + std::to_string(i + 1) + "::" + std::string(array_type(column.type));
    }
    Result<pg::PgRows> inserted =
        pg_.query("INSERT INTO " + std::string(table.name) + " (" + columns +
                      ") SELECT * FROM unnest(" + arrays + ")",
                  std::move(params));
    if (!inserted) return fail("writing " + std::string(table.name), inserted);
    if (inserted->affected != static_cast<std::int64_t>(rows.size())) {
      return Error{"writing " + std::string(table.name) + " in " + where_ + ": " +
                   std::to_string(inserted->affected) + " rows of " +
                   std::to_string(rows.size()) + " arrived"};
    }
    return {};
  }

  Status commit() override { return run("committing the copy", "COMMIT"); }

 private:
  Status run(const std::string& what, std::string sql) {
    Result<pg::PgRows> rows = pg_.query(std::move(sql));
    if (!rows) return fail(what, rows);
    return {};
  }

  // `what` in the database failed with `failure`'s error.
  template <typename R>
  Error fail(const std::string& what, const R& failure) const {
    Error error = failure.error();
    error.message = what + " in " + where_ + ": " + error.message;
    return error;
  }

  // A value read by pg_text's readers, which throw on what the schema excludes.
  template <typename Read>
  auto read_value(Read&& read) const -> Result<decltype(read())> {
    try {
      return read();
    } catch (const pg::MalformedResult& error) {
      return Error{where_ + ": " + error.what(), ErrorCode::invalid};
    }
  }

  std::string where_;
  BlockingPg pg_{kConnectTimeout, kStatementTimeout};
};

}  // namespace

Result<std::unique_ptr<OutboxTables>> open_pg_tables(const std::string& uri) {
  Result<OutboxLocation> location = parse_outbox_location(uri);
  auto tables = std::make_unique<PgTables>(location ? location->describe() : "PostgreSQL");
  if (Status opened = tables->open(uri); !opened) return opened.error();
  return std::unique_ptr<OutboxTables>(std::move(tables));
}

Result<std::unique_ptr<OutboxTables>> open_outbox_tables(const OutboxLocation& location,
                                                         OutboxTables::Role role) {
  if (location.kind == OutboxLocation::Kind::postgresql) return open_pg_tables(location.uri);
  return open_sqlite_tables(location.file, role);
}

}  // namespace kutsu::store::copy
