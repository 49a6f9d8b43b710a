// StoreHealth: whether the outbox can do its work now, as its own calls
// found out — the answer /healthz, the status API and /metrics give.
//
// A failure that is about the disk or the file (full, read-only, I/O error,
// damaged, locked: ErrorCode::unavailable) makes the store unhealthy with
// that failure's message; the next call that gets a change onto the disk
// makes it healthy again. Reads succeeding prove nothing: on a full disk
// they still work. Nobody needs to poll: the daemon retries what failed
// (delivery results, claims, plans), and the first of those to succeed is
// the recovery.
//
// Connections to one outbox may share one StoreHealth (Outbox::share_health):
// the daemon's reloads write through a connection of their own, and a full
// disk they meet is the daemon's problem too. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace kutsu::store {

class StoreHealth {
 public:
  bool ok() const {
    std::lock_guard lock(mutex_);
    return !problem_.has_value();
  }
  // The latest failure's message while unhealthy.
  std::optional<std::string> problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
  }
  // Unavailable failures since the connection opened (a counter for /metrics).
  std::uint64_t failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }

  void note_failure(std::string message) {
    std::lock_guard lock(mutex_);
    problem_ = std::move(message);
    ++failures_;
  }
  void note_write() {
    std::lock_guard lock(mutex_);
    problem_.reset();
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> problem_;
  std::uint64_t failures_ = 0;
};

}  // namespace kutsu::store
