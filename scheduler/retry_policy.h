// RetryPolicy: when a failed attempt is tried again, and when to give up
// ([delivery] in kutsu.toml, interfaces.md).
//
// Attempt n (1-based) that ends in `retry` is followed by attempt n+1 after
// backoff[n-1] (the last entry repeats), stretched by a random jitter of up
// to `jitter` of itself so that a burst that failed together does not come
// back together; a server's Retry-After is honoured when it asks for longer.
// After `max_attempts` attempts the notification has failed.
//
// A value type; next_attempt() is a pure function of its arguments (the
// randomness comes in as `unit_random`), so tests can pin it down.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <date/date.h>

namespace kutsu::scheduler {

struct RetryPolicy {
  int max_attempts = 8;
  std::vector<std::chrono::seconds> backoff = {std::chrono::seconds{30}, std::chrono::minutes{2},
                                               std::chrono::minutes{10}, std::chrono::minutes{30},
                                               std::chrono::hours{1}};
  double jitter = 0.1;  // at most this fraction of the backoff is added

  // The moment of the next attempt after attempt number `attempt` (1-based)
  // ended at `now` asking for a retry; none when the attempts are used up.
  // `unit_random` is in [0, 1) and picks the jitter.
  std::optional<date::sys_seconds> next_attempt(int attempt, date::sys_seconds now,
                                                std::optional<std::chrono::seconds> retry_after,
                                                double unit_random) const;
};

}  // namespace kutsu::scheduler
