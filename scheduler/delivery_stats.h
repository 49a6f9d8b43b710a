// DeliveryStats: what the dispatcher has done since the process started,
// for /metrics — delivery attempts by channel and outcome, and how late each
// sent notification went out (the moment its delivery finished minus its
// due time).
//
// Counters only grow and start from zero with the process, as Prometheus
// counters do; the outbox keeps the lasting record. The lateness histogram
// has fixed bucket bounds (lateness_bounds) chosen around the daemon's
// promise: well under a second for everything sent on time, and minutes or
// hours for what waited out a retry or a downtime.
//
// Not thread-safe: written and read on the event loop's thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "base/attempt_result.h"

namespace kutsu::scheduler {

class DeliveryStats {
 public:
  // Upper bounds, in seconds, of the lateness buckets; an implicit +Inf follows.
  static constexpr std::array<double, 14> lateness_bounds{
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600};

  struct Histogram {
    // cumulative[i]: observations ≤ lateness_bounds[i]; the last entry is +Inf (= count).
    std::array<std::uint64_t, lateness_bounds.size() + 1> cumulative{};
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };

  // One finished attempt on `channel` ("email" | "webhook").
  void record_attempt(const std::string& channel, AttemptOutcome outcome);
  // A notification sent `lateness` after its due time (negative counts as 0).
  void record_lateness(std::chrono::duration<double> lateness);

  // (channel, outcome) → attempts, ordered.
  const std::map<std::pair<std::string, AttemptOutcome>, std::uint64_t>& attempts() const {
    return attempts_;
  }
  const Histogram& lateness() const { return lateness_; }

 private:
  std::map<std::pair<std::string, AttemptOutcome>, std::uint64_t> attempts_;
  Histogram lateness_;
};

}  // namespace kutsu::scheduler
