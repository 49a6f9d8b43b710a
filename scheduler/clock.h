// Clock: where the scheduler learns what time it is.
//
// Nothing in scheduler/ asks the operating system for the time directly; it
// is handed a Clock, so tests can stand at any instant and move time forward
// without waiting. SystemClock reads the real wall clock (which may jump:
// callers that wait must re-check, see architecture.md "Timers re-check the
// clock"). ManualClock only moves when told to.
//
// Both implementations are thread-safe: now() may be called from any thread
// while another thread sets or advances a ManualClock.
#pragma once

#include <atomic>
#include <chrono>

namespace kutsu::scheduler {

class Clock {
 public:
  using TimePoint = std::chrono::sys_time<std::chrono::nanoseconds>;

  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The operating system's wall clock (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock for tests: starts at `start` and changes only through set/advance.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}

  TimePoint now() const override { return TimePoint{TimePoint::duration{now_.load()}}; }
  void set(TimePoint to) { now_.store(to.time_since_epoch().count()); }
  void advance(std::chrono::nanoseconds by) { now_.fetch_add(by.count()); }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace kutsu::scheduler
