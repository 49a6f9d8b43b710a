#include "store/detail/database.h"

#include <thread>
#include <utility>

namespace kutsu::store::detail {
namespace {

constexpr std::chrono::microseconds kBusyStep{250};

}  // namespace

// sqlite3_busy_handler's callback: `wait` is the connection's BusyWait.
int Database::wait_a_step(void* wait, int count) {
  auto* busy = static_cast<BusyWait*>(wait);
  if (count >= busy->steps) return 0;  // give up: SQLITE_BUSY
  busy->waiting->store(true, std::memory_order_relaxed);
  std::this_thread::sleep_for(kBusyStep);
  return 1;
}

namespace {

std::string message_of(sqlite3* db, int rc) {
  // sqlite3_errmsg describes the most recent failure on the connection; when
  // there is no connection (open failed to allocate) only the code is known.
  return db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

}  // namespace

// --- Statement -------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql, StatementCache* cache)
    : db_(db), cache_(cache) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    throw SqliteError(message_of(db, rc) + " (preparing: " + std::string(sql.substr(0, 120)) + ")",
                      rc);
  }
}

Statement::~Statement() { release(); }

void Statement::release() {
  if (stmt_ == nullptr) return;
  if (cache_ != nullptr) {
    cache_->give_back(std::exchange(stmt_, nullptr));
    return;
  }
  // sqlite3_finalize only repeats the error of the last step, which step()
  // already reported; the statement is freed whatever it returns.
  static_cast<void>(sqlite3_finalize(std::exchange(stmt_, nullptr)));
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), cache_(other.cache_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    cache_ = other.cache_;
  }
  return *this;
}

void Statement::fail(int rc, std::string_view what) const {
  std::string sql = sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "";
  if (sql.size() > 120) sql = sql.substr(0, 120) + "…";
  throw SqliteError(message_of(db_, rc) + " (" + std::string(what) + ": " + sql + ")", rc);
}

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) fail(rc, "binding parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  check_bind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::chrono::sys_seconds>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<int>& value) {
  return value ? bind(index, static_cast<std::int64_t>(*value)) : bind_null(index);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc, "running");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  int rc = sqlite3_reset(stmt_);
  if (rc != SQLITE_OK) fail(rc, "resetting");
  rc = sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_OK) fail(rc, "clearing bindings");
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::null_column(int column) const {
  throw SqliteError("column " + std::to_string(column) + " is NULL where a value is required (" +
                    std::string(sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "") + ")");
}

std::int64_t Statement::integer(int column) const {
  if (is_null(column)) null_column(column);
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Statement::text_view(int column) const {
  if (is_null(column)) null_column(column);
  const unsigned char* data = sqlite3_column_text(stmt_, column);
  // Not NULL, so a null pointer means the conversion to text ran out of memory.
  if (data == nullptr) fail(SQLITE_NOMEM, "reading text");
  return std::string_view(reinterpret_cast<const char*>(data),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::text(int column) const { return std::string(text_view(column)); }

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::chrono::sys_seconds> Statement::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

// --- Database --------------------------------------------------------------

Database Database::open(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = message_of(db, rc);
    // A failed open still allocates a handle that must be closed.
    static_cast<void>(sqlite3_close_v2(db));
    throw SqliteError("cannot open " + file.string() + ": " + message, rc);
  }
  // Extended codes make messages say e.g. SQLITE_IOERR_FSYNC rather than IOERR.
  rc = sqlite3_extended_result_codes(db, 1);
  if (rc != SQLITE_OK) {
    std::string message = message_of(db, rc);
    static_cast<void>(sqlite3_close_v2(db));
    throw SqliteError("cannot configure " + file.string() + ": " + message, rc);
  }
  return Database(db, file);
}

Database::~Database() {
  statements_.reset();  // finalized before the close
  // sqlite3_close_v2 defers the close until the last statement is finalized
  // and always returns SQLITE_OK.
  if (db_ != nullptr) static_cast<void>(sqlite3_close_v2(db_));
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      file_(std::move(other.file_)),
      broken_(std::move(other.broken_)),
      health_(std::move(other.health_)),
      busy_(std::move(other.busy_)),
      watched_(std::move(other.watched_)),
      statements_(std::move(other.statements_)),
      checkpointer_(std::move(other.checkpointer_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    statements_.reset();
    if (db_ != nullptr) static_cast<void>(sqlite3_close_v2(db_));
    db_ = std::exchange(other.db_, nullptr);
    file_ = std::move(other.file_);
    broken_ = std::move(other.broken_);
    health_ = std::move(other.health_);
    busy_ = std::move(other.busy_);
    watched_ = std::move(other.watched_);
    statements_ = std::move(other.statements_);
    checkpointer_ = std::move(other.checkpointer_);  // the old one after its connection closed
  }
  return *this;
}

void Database::watch_lock_waits(const Database& other) { watched_ = other.busy_->waiting; }

bool Database::lock_wanted() {
  return watched_ && watched_->exchange(false, std::memory_order_relaxed);
}

void Database::share_health(std::shared_ptr<StoreHealth> health) {
  if (checkpointer_) checkpointer_->use_health(health);
  health_ = std::move(health);
}

namespace {

// SQLite's default hook checkpoints at 1,000 pages; this one asks for it.
constexpr int kCheckpointPages = 1000;

int ask_for_checkpoint(void* checkpointer, sqlite3*, const char*, int pages) {
  if (pages >= kCheckpointPages) static_cast<Checkpointer*>(checkpointer)->request();
  return SQLITE_OK;
}

}  // namespace

void Database::checkpoint_in_background() {
  check_usable();
  if (checkpointer_) return;
  checkpointer_ = std::make_unique<Checkpointer>(file_, health_);
  // Replaces SQLite's automatic checkpoint (itself a WAL hook); returns the
  // previous hook's argument, nothing to check.
  static_cast<void>(sqlite3_wal_hook(db_, &ask_for_checkpoint, checkpointer_.get()));
}

void Database::check_usable() const {
  // Only an I/O failure leaves a rollback undone; say so by the code too.
  if (broken_) throw SqliteError("database connection unusable: " + *broken_, SQLITE_IOERR);
}

void Database::wait_when_busy(std::chrono::milliseconds total) {
  check_usable();
  busy_->steps = static_cast<int>(total / kBusyStep);
  const int rc = sqlite3_busy_handler(db_, &wait_a_step, busy_.get());
  if (rc != SQLITE_OK) throw SqliteError("cannot set the busy handler: " + message_of(db_, rc), rc);
}

void Database::exec(std::string_view sql) {
  check_usable();
  std::string owned(sql);  // sqlite3_exec wants a NUL-terminated string
  char* error = nullptr;
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(message + " (running: " + owned.substr(0, 120) + ")", rc);
  }
}

Statement Database::prepare(std::string_view sql) {
  check_usable();
  if (statements_ == nullptr) return Statement(db_, sql);
  if (sqlite3_stmt* compiled = statements_->take(sql)) {
    return Statement(db_, compiled, statements_.get());
  }
  return Statement(db_, sql, statements_.get());
}

std::int64_t Database::query_integer(std::string_view sql) {
  Statement statement = prepare(sql);
  if (!statement.step()) throw SqliteError("no result from: " + std::string(sql));
  return statement.integer(0);
}

std::string Database::query_text(std::string_view sql) {
  Statement statement = prepare(sql);
  if (!statement.step()) throw SqliteError("no result from: " + std::string(sql));
  return statement.text(0);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

std::int64_t Database::total_changes() const { return sqlite3_total_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Database::mark_broken(std::string reason) { broken_ = std::move(reason); }

// --- Transaction -----------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself (after SQLITE_FULL, IOERR …).
  if (done_ || !db_.in_transaction()) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const SqliteError& error) {
    db_.mark_broken(std::string("rollback failed: ") + error.what());
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace kutsu::store::detail
