#include "scheduler/delivery_stats.h"

#include <algorithm>

namespace kutsu::scheduler {

void DeliveryStats::record_attempt(const std::string& channel, AttemptOutcome outcome) {
  ++attempts_[{channel, outcome}];
}

void DeliveryStats::record_lateness(std::chrono::duration<double> lateness) {
  const double seconds = std::max(lateness.count(), 0.0);
  for (std::size_t i = 0; i < lateness_bounds.size(); ++i) {
    if (seconds <= lateness_bounds[i]) ++lateness_.cumulative[i];
  }
  ++lateness_.cumulative.back();
  lateness_.sum_seconds += seconds;
  ++lateness_.count;
}

}  // namespace kutsu::scheduler
