// ShiftedClock: the wall clock, moved to start at a chosen instant and
// running at real speed from there.
//
// `kutsu serve --clock-start` uses it so that integration tests (and demos)
// can serve a series of 2022 as if it were then, with real timers: a
// notification due 5 s after the start instant is sent 5 s after the daemon
// started. The offset is fixed at construction; later wall-clock jumps move
// this clock too, as they move the real one. Thread-safe (immutable).
#pragma once

#include "scheduler/clock.h"

namespace kutsu::scheduler {

class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(TimePoint start) : offset_(start - system_.now()) {}
  TimePoint now() const override { return system_.now() + offset_; }

 private:
  SystemClock system_;
  TimePoint::duration offset_;
};

}  // namespace kutsu::scheduler
