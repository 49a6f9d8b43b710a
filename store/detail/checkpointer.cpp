#include "store/detail/checkpointer.h"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "store/detail/database.h"

namespace kutsu::store::detail {

Checkpointer::Checkpointer(const std::filesystem::path& file, std::shared_ptr<StoreHealth> health)
    : health_(std::move(health)) {
  const int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    static_cast<void>(sqlite3_close_v2(db_));  // a failed open still has a handle; close is OK
    throw SqliteError("cannot open " + file.string() + " for checkpoints: " + message, rc);
  }
  // A connection learns that the file is in WAL mode when it first reads
  // it; until then a checkpoint on it does nothing and says OK.
  char* error = nullptr;
  const int read = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &error);
  if (read != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(read);
    sqlite3_free(error);
    static_cast<void>(sqlite3_close_v2(db_));
    throw SqliteError("cannot read " + file.string() + " for checkpoints: " + message, read);
  }
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  // sqlite3_close_v2 always returns SQLITE_OK; the last connection to close
  // copies what is left of the log itself.
  static_cast<void>(sqlite3_close_v2(db_));
}

void Checkpointer::request() {
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  changed_.notify_all();
}

void Checkpointer::use_health(std::shared_ptr<StoreHealth> health) {
  std::lock_guard lock(mutex_);
  health_ = std::move(health);
}

std::uint64_t Checkpointer::completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

bool Checkpointer::wait_for(std::uint64_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return completed_ >= count; });
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    const int rc =
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    const std::string message = rc == SQLITE_OK ? std::string() : sqlite3_errmsg(db_);
    lock.lock();
    if (rc == SQLITE_OK) {
      ++completed_;
    } else if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
      health_->note_failure("cannot copy the write-ahead log into " +
                            std::string(sqlite3_db_filename(db_, "main")) + ": " + message);
    }
    changed_.notify_all();  // wait_for()
  }
}

}  // namespace kutsu::store::detail
