// OutboxTables over an SQLite outbox file (store/detail/database.h).
#include <charconv>
#include <optional>
#include <system_error>
#include <type_traits>

#include "store/copy/outbox_tables.h"
#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/outbox.h"

namespace kutsu::store::copy {
namespace {

using detail::Database;
using detail::SqliteError;
using detail::Statement;

std::string select_list(const CopyTable& table) {
  std::string list;
  for (const CopyColumn& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += column.sqlite.empty() ? std::string(column.sqlite_absent)
                                  : "t." + std::string(column.sqlite);
  }
  return list;
}

std::int64_t integer_value(const CopyTable& table, const CopyColumn& column,
                           const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw SqliteError(std::string(table.name) + "." + std::string(column.pg) + ": '" + text +
                      "' is not an integer");
  }
  return value;
}

class SqliteTables final : public OutboxTables {
 public:
  explicit SqliteTables(Database db) : db_(std::move(db)) {}

  Result<std::int64_t> count(const CopyTable& table, std::string_view where) override {
    return guarded("counting " + std::string(table.name), [&]() -> Result<std::int64_t> {
      std::string sql = "SELECT count(*) FROM " + std::string(table.name);
      if (!where.empty()) sql += " WHERE " + std::string(where);
      return db_.query_integer(sql);
    });
  }

  Result<std::vector<std::string>> live_users(std::chrono::seconds) override {
    return std::vector<std::string>{};
  }

  Status begin_reading() override {
    // A deferred transaction: its first SELECT fixes the snapshot (WAL) that
    // every later read sees.
    return guarded("starting to read", [&]() -> Status {
      db_.exec("BEGIN");
      return {};
    });
  }

  Status read(const CopyTable& table, std::size_t batch_rows, const BatchHandler& each) override {
    std::optional<Error> handler_error;
    Status read = guarded("reading " + std::string(table.name), [&]() -> Status {
      Statement select = db_.prepare("SELECT " + select_list(table) + " FROM " +
                                     std::string(table.name) + " AS t ORDER BY " +
                                     std::string(table.sqlite_order));
      std::vector<CopyRow> batch;
      batch.reserve(batch_rows);
      auto flush = [&]() -> bool {
        if (batch.empty()) return true;
        if (Status handled = each(batch); !handled) {
          handler_error = handled.error();
          return false;
        }
        batch.clear();
        return true;
      };
      while (select.step()) {
        CopyRow row;
        row.reserve(table.columns.size());
        for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
          if (table.columns[i].type == ColumnType::text) {
            row.push_back(select.optional_text(i));
          } else if (auto value = select.optional_integer(i)) {
            row.push_back(std::to_string(*value));
          } else {
            row.push_back(std::nullopt);
          }
        }
        batch.push_back(std::move(row));
        if (batch.size() >= batch_rows && !flush()) break;
      }
      if (!handler_error) flush();
      select.reset();
      return {};
    });
    if (handler_error) return *handler_error;
    return read;
  }

  Status finish_reading() override {
    return guarded("finishing the read", [&]() -> Status {
      db_.exec("COMMIT");
      return {};
    });
  }

  Status begin_writing() override {
    // BEGIN IMMEDIATE: the write lock from the start, so that no other
    // process writes between the emptiness check and the commit.
    return guarded("starting the copy's transaction", [&]() -> Status {
      transaction_.emplace(db_);
      return {};
    });
  }

  Status clear(const CopyTable& table) override {
    return guarded("emptying " + std::string(table.name), [&]() -> Status {
      db_.exec("DELETE FROM " + std::string(table.name));
      return {};
    });
  }

  Status write(const CopyTable& table, const std::vector<CopyRow>& rows) override {
    return guarded("writing " + std::string(table.name), [&]() -> Status {
      std::string columns;
      std::string values;
      for (const CopyColumn& column : table.columns) {
        if (column.sqlite.empty()) continue;
        if (!columns.empty()) {
          columns += ", ";
          values += ", ";
        }
        columns += column.sqlite;
        values += "?";
      }
      Statement insert = db_.prepare("INSERT INTO " + std::string(table.name) + " (" + columns +
                                     ") VALUES (" + values + ")");
      for (const CopyRow& row : rows) {
        int parameter = 0;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          const CopyColumn& column = table.columns[i];
          if (column.sqlite.empty()) continue;
          ++parameter;
          if (!row[i]) {
            insert.bind_null(parameter);
          } else if (column.type == ColumnType::text) {
            insert.bind(parameter, *row[i]);
          } else {
            insert.bind(parameter, integer_value(table, column, *row[i]));
          }
        }
        insert.run();
      }
      return {};
    });
  }

  Status commit() override {
    return guarded("committing the copy", [&]() -> Status {
      if (!transaction_) throw SqliteError("commit without begin_writing");
      transaction_->commit();
      transaction_.reset();
      return {};
    });
  }

 private:
  template <typename Body>
  auto guarded(std::string what, Body&& body) -> std::invoke_result_t<Body> {
    return detail::guarded(what + " in " + db_.file().string(), std::forward<Body>(body));
  }

  Database db_;
  std::optional<detail::Transaction> transaction_;  // declared after db_: rolled back first
};

}  // namespace

Result<std::unique_ptr<OutboxTables>> open_sqlite_tables(const std::filesystem::path& file,
                                                         OutboxTables::Role role) {
  std::error_code error;
  if (role == OutboxTables::Role::source && !std::filesystem::exists(file, error)) {
    return Error{"there is no SQLite outbox at " + file.string(), ErrorCode::not_found};
  }
  // The daemon's own opening: WAL, the schema migrated (or refused when newer).
  Result<Outbox> outbox = Outbox::open(file);
  if (!outbox) return outbox.error();
  return detail::guarded("opening " + file.string(), [&]() -> Result<std::unique_ptr<OutboxTables>> {
    Database db = Database::open(file);
    db.wait_when_busy(std::chrono::seconds(5));
    return std::unique_ptr<OutboxTables>(std::make_unique<SqliteTables>(std::move(db)));
  });
}

}  // namespace kutsu::store::copy
