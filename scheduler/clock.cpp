#include "scheduler/clock.h"

namespace kutsu::scheduler {

Clock::TimePoint SystemClock::now() const {
  // The one place in scheduler/ that reads the operating system's clock.
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace kutsu::scheduler
