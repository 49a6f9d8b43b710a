#include "scheduler/retry_policy.h"

#include <gtest/gtest.h>

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;

const date::sys_seconds kNow = date::sys_days{date::February / 1 / 2022} + 10h;

TEST(RetryPolicy, WalksTheBackoffAndRepeatsItsLastStep) {
  RetryPolicy policy{5, {30s, 2min, 10min}, 0.0};
  EXPECT_EQ(policy.next_attempt(1, kNow, std::nullopt, 0.0), kNow + 30s);
  EXPECT_EQ(policy.next_attempt(2, kNow, std::nullopt, 0.0), kNow + 2min);
  EXPECT_EQ(policy.next_attempt(3, kNow, std::nullopt, 0.0), kNow + 10min);
  EXPECT_EQ(policy.next_attempt(4, kNow, std::nullopt, 0.0), kNow + 10min);
  EXPECT_EQ(policy.next_attempt(5, kNow, std::nullopt, 0.0), std::nullopt);  // used up
}

TEST(RetryPolicy, JitterAddsAtMostItsFraction) {
  RetryPolicy policy{8, {10min}, 0.1};
  EXPECT_EQ(policy.next_attempt(1, kNow, std::nullopt, 0.0), kNow + 10min);
  EXPECT_EQ(policy.next_attempt(1, kNow, std::nullopt, 0.5), kNow + 10min + 30s);
  EXPECT_EQ(policy.next_attempt(1, kNow, std::nullopt, 0.999), kNow + 10min + 59s);
}

TEST(RetryPolicy, RetryAfterWinsOnlyWhenLonger) {
  RetryPolicy policy{8, {2min}, 0.0};
  EXPECT_EQ(policy.next_attempt(1, kNow, 10min, 0.0), kNow + 10min);
  EXPECT_EQ(policy.next_attempt(1, kNow, 5s, 0.0), kNow + 2min);
}

}  // namespace
}  // namespace kutsu::scheduler
