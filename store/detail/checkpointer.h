// Checkpointer: copies an outbox's write-ahead log back into its database
// file on a thread of its own, so that no commit pays for it.
//
// SQLite's automatic checkpoint runs inside the commit that finds the log
// past 1,000 pages, on whichever connection made it: a claim or a result
// committed on the event loop would copy a reload's pages and wait for the
// two fsyncs of a checkpoint (synchronous = NORMAL syncs there), and a
// reload's short transactions paid that after nearly every commit (half the
// wall time of applying 200,000 new ids in transactions of 500 rows).
// Database::checkpoint_in_background() turns that into a request to this
// thread, which runs PASSIVE checkpoints (they never wait for readers or
// writers) on a connection of its own; requests that arrive during one are
// served by the next.
//
// A checkpoint that fails is noted on the StoreHealth it was given (a full
// disk or an I/O error here is the outbox's problem too); SQLITE_BUSY,
// another connection checkpointing at the same moment, is not a failure.
//
// Threading: request() and use_health() from any thread; the destructor
// (any thread) lets a running checkpoint finish, then joins. The file must
// stay where it is while this lives.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "store/store_health.h"

struct sqlite3;

namespace kutsu::store::detail {

class Checkpointer {
 public:
  // Opens its connection to `file`. Throws SqliteError.
  Checkpointer(const std::filesystem::path& file, std::shared_ptr<StoreHealth> health);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void request();
  void use_health(std::shared_ptr<StoreHealth> health);

  // Checkpoints that completed; waits (up to `timeout`) until there are at
  // least `count`, for tests.
  std::uint64_t completed() const;
  bool wait_for(std::uint64_t count, std::chrono::milliseconds timeout) const;

 private:
  void run();

  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool requested_ = false;
  bool stopping_ = false;
  std::uint64_t completed_ = 0;
  std::shared_ptr<StoreHealth> health_;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace kutsu::store::detail
