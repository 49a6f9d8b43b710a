#include "scheduler/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace kutsu::scheduler {

std::optional<date::sys_seconds> RetryPolicy::next_attempt(
    int attempt, date::sys_seconds now, std::optional<std::chrono::seconds> retry_after,
    double unit_random) const {
  if (attempt >= max_attempts) return std::nullopt;
  std::chrono::seconds delay{0};
  if (!backoff.empty()) {
    const std::size_t index =
        std::min(static_cast<std::size_t>(std::max(attempt, 1) - 1), backoff.size() - 1);
    delay = backoff[index];
  }
  const double extra =
      static_cast<double>(delay.count()) * jitter * std::clamp(unit_random, 0.0, 1.0);
  delay += std::chrono::seconds{static_cast<std::chrono::seconds::rep>(std::floor(extra))};
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return now + delay;
}

}  // namespace kutsu::scheduler
