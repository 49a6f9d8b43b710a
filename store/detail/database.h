// Database, Statement and Transaction: the store's thin RAII layer over the
// sqlite3 C API.
//
// Every sqlite3 return code is checked. A failure throws SqliteError carrying
// sqlite's own message and what was being done; the exception never leaves
// store/ (Outbox turns it into a kutsu::Error at its boundary, see guard.h).
//
// Not thread-safe: a Database and its Statements belong to one thread at a
// time (the connection is opened with SQLITE_OPEN_NOMUTEX). A Statement must
// not outlive the Database that prepared it (it may go back to the
// Database's cache of compiled statements).
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/detail/statement_cache.h"
#include "store/detail/checkpointer.h"
#include "store/store_health.h"

namespace kutsu::store::detail {

// `code` is sqlite's (extended) result code, or SQLITE_ERROR for what the
// store itself found wrong in the data.
class SqliteError : public std::runtime_error {
 public:
  explicit SqliteError(const std::string& message, int code = SQLITE_ERROR)
      : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Unix seconds as stored in INTEGER columns.
inline std::int64_t unix_seconds(std::chrono::sys_seconds t) {
  return t.time_since_epoch().count();
}
inline std::chrono::sys_seconds from_unix_seconds(std::int64_t s) {
  return std::chrono::sys_seconds{std::chrono::seconds{s}};
}

class Statement {
 public:
  // Prepares one SQL statement; throws SqliteError naming the SQL if it does not compile.
  // With a cache, the statement goes back to it when this Statement is done.
  Statement(sqlite3* db, std::string_view sql, StatementCache* cache = nullptr);
  // Takes over a statement already compiled (from `cache`).
  Statement(sqlite3* db, sqlite3_stmt* compiled, StatementCache* cache)
      : db_(db), stmt_(compiled), cache_(cache) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters count from 1, as in SQL (?1, ?2 …). Text is copied.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::chrono::sys_seconds value) {
    return bind(index, unix_seconds(value));
  }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<std::chrono::sys_seconds>& value);
  Statement& bind(int index, const std::optional<int>& value);

  // Advances: true when a row is ready to read, false when the statement is done.
  bool step();
  // Steps a statement that returns no rows (or whose rows are not wanted)
  // to completion, then reset()s it for the next use.
  void run();
  // Makes the statement ready to run again and clears its parameters.
  void reset();

  // Columns count from 0. Reading a NULL as integer() or text() is a bug in
  // the caller's SQL and throws.
  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  // The text without copying; valid until the next step(), reset() or
  // another read of the same column.
  std::string_view text_view(int column) const;
  std::chrono::sys_seconds time(int column) const { return from_unix_seconds(integer(column)); }
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::chrono::sys_seconds> optional_time(int column) const;

 private:
  [[noreturn]] void fail(int rc, std::string_view what) const;
  [[noreturn]] void null_column(int column) const;
  void check_bind(int rc, int index);

  // Finalizes the statement, or hands it back to the cache.
  void release();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  StatementCache* cache_ = nullptr;
};

class Database {
 public:
  // Opens (creating if missing) the database file. Throws SqliteError.
  static Database open(const std::filesystem::path& file);

  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // While another connection holds the write lock, wait for it in steps of
  // 250 µs, up to `total`. SQLite's own busy_timeout sleeps in growing steps
  // (up to 100 ms each), so a claim on the event loop that met a reload's
  // short transaction could wait many times longer than the transaction.
  void wait_when_busy(std::chrono::milliseconds total);
  // From now on lock_wanted() on this connection says whether `other` has
  // been waiting for the write lock (in the handler above) since the last
  // call. The reload's connection asks it between rows, and commits early
  // for the event loop's.
  void watch_lock_waits(const Database& other);
  bool lock_wanted();

  // Runs one or more statements that return nothing of interest.
  void exec(std::string_view sql);
  // A statement compiled from `sql`: the same one again when it was used
  // before (statement_cache.h), reset and without parameters.
  Statement prepare(std::string_view sql);
  // Runs a query whose first row's first column is an integer (PRAGMA user_version …).
  std::int64_t query_integer(std::string_view sql);
  std::string query_text(std::string_view sql);

  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  std::int64_t changes() const;
  // Rows changed since the connection opened (guard.h compares two readings).
  std::int64_t total_changes() const;
  StoreHealth& health() { return *health_; }
  const StoreHealth& health() const { return *health_; }
  const std::shared_ptr<StoreHealth>& shared_health() const { return health_; }
  void share_health(std::shared_ptr<StoreHealth> health);
  bool in_transaction() const;

  // From now on this connection's commits never copy the write-ahead log
  // into the database file themselves: a commit that leaves the log at
  // 1,000 pages or more asks a Checkpointer (checkpointer.h) to do it on
  // its own thread. Throws SqliteError.
  void checkpoint_in_background();
  // Null until checkpoint_in_background().
  const Checkpointer* checkpointer() const { return checkpointer_.get(); }

  // Set when a ROLLBACK failed: the connection's state is then unknown and
  // every later call throws instead of working on a half-finished transaction.
  void mark_broken(std::string reason);

  const std::filesystem::path& file() const { return file_; }

 private:
  Database(sqlite3* db, std::filesystem::path file) : db_(db), file_(std::move(file)) {}
  void check_usable() const;
  static int wait_a_step(void* wait, int count);

  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
  std::optional<std::string> broken_;
  std::shared_ptr<StoreHealth> health_ = std::make_shared<StoreHealth>();
  // The busy handler's argument, at an address that survives moves: how
  // many steps it may wait, and the flag it raises while waiting.
  struct BusyWait {
    int steps = 0;
    std::shared_ptr<std::atomic<bool>> waiting = std::make_shared<std::atomic<bool>>(false);
  };
  std::unique_ptr<BusyWait> busy_ = std::make_unique<BusyWait>();
  std::shared_ptr<std::atomic<bool>> watched_;  // another connection's BusyWait::waiting
  // At an address that survives moves too: Statements point to it.
  std::unique_ptr<StatementCache> statements_ = std::make_unique<StatementCache>();
  // The WAL hook's argument, at an address that survives moves; it outlives
  // the connection (destroyed after the destructor closed db_).
  std::unique_ptr<Checkpointer> checkpointer_;
};

// BEGIN IMMEDIATE … COMMIT. IMMEDIATE takes the write lock up front, so a
// read-then-write inside the transaction cannot fail half-way with
// SQLITE_BUSY. Rolls back in the destructor unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace kutsu::store::detail
