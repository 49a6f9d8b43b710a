#include "scheduler/clock.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(model::testing::utc(2022, 2, 1, 12, 0));
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.now(), model::testing::utc(2022, 2, 1, 12, 0));
  clock.advance(90min);
  EXPECT_EQ(as_clock.now(), model::testing::utc(2022, 2, 1, 13, 30));
  clock.set(model::testing::utc(2021, 1, 1, 0, 0));  // wall clocks may jump back
  EXPECT_EQ(as_clock.now(), model::testing::utc(2021, 1, 1, 0, 0));
}

TEST(ManualClock, AdvancesFromAnotherThreadAreAllSeen) {
  ManualClock clock(model::testing::utc(2022, 2, 1, 12, 0));
  std::thread other([&] {
    for (int i = 0; i < 1000; ++i) clock.advance(1s);
  });
  for (int i = 0; i < 1000; ++i) clock.advance(1s);
  other.join();
  EXPECT_EQ(clock.now(), model::testing::utc(2022, 2, 1, 12, 0) + 2000s);
}

TEST(SystemClock, ReadsTheWallClock) {
  SystemClock clock;
  auto before = std::chrono::system_clock::now();
  auto now = clock.now();
  auto after = std::chrono::system_clock::now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace kutsu::scheduler
