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
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kutsu::store {

class StoreHealth {
 public:
  bool ok() const { return !problem_.has_value(); }
  // The latest failure's message while unhealthy.
  const std::optional<std::string>& problem() const { return problem_; }
  // Unavailable failures since the connection opened (a counter for /metrics).
  std::uint64_t failures() const { return failures_; }

  void note_failure(std::string message) {
    problem_ = std::move(message);
    ++failures_;
  }
  void note_write() { problem_.reset(); }

 private:
  std::optional<std::string> problem_;
  std::uint64_t failures_ = 0;
};

}  // namespace kutsu::store
