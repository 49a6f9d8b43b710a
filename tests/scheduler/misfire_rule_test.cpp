#include "scheduler/misfire_rule.h"

#include <gtest/gtest.h>

#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;
using model::testing::utc;

// A session on 2.2.2022 18:00–19:30 +02:00.
const model::TimeSpan kSession{utc(2022, 2, 2, 16, 0), utc(2022, 2, 2, 17, 30)};
const MisfireRule kRule{};  // grace PT15M

DueState reminder_at(date::sys_seconds due, date::sys_seconds now) {
  return kRule.classify(model::NotificationKind::reminder, due, kSession, now);
}

TEST(MisfireRule, DefaultGraceIsFifteenMinutes) { EXPECT_EQ(kRule.grace, 15min); }

TEST(MisfireRule, NotYetDueIsPending) {
  date::sys_seconds due = utc(2022, 2, 2, 15, 0);
  EXPECT_EQ(reminder_at(due, due - 1s), DueState::pending);
  EXPECT_EQ(reminder_at(due, due), DueState::pending);
  EXPECT_EQ(kRule.classify(model::NotificationKind::invitation, due, kSession, due),
            DueState::pending);
}

TEST(MisfireRule, ReminderIsSentWithinGraceBeforeTheSessionStarts) {
  date::sys_seconds due = utc(2022, 2, 2, 15, 0);  // PT1H before
  EXPECT_EQ(reminder_at(due, due + 1s), DueState::overdue);
  EXPECT_EQ(reminder_at(due, due + 15min), DueState::overdue);
  EXPECT_EQ(reminder_at(due, due + 15min + 1s), DueState::missed);
}

TEST(MisfireRule, ReminderIsMissedOnceTheSessionStartedEvenWithinGrace) {
  date::sys_seconds due = utc(2022, 2, 2, 15, 50);  // PT10M before
  EXPECT_EQ(reminder_at(due, kSession.start - 1s), DueState::overdue);
  EXPECT_EQ(reminder_at(due, kSession.start), DueState::missed);
}

TEST(MisfireRule, OtherKindsAreSentLateUntilTheirSessionEnds) {
  date::sys_seconds due = utc(2022, 1, 19, 7, 0);
  for (auto kind : {model::NotificationKind::invitation, model::NotificationKind::update,
                    model::NotificationKind::cancellation}) {
    EXPECT_EQ(kRule.classify(kind, due, kSession, due + 24h), DueState::overdue);
    EXPECT_EQ(kRule.classify(kind, due, kSession, kSession.end - 1s), DueState::overdue);
    EXPECT_EQ(kRule.classify(kind, due, kSession, kSession.end), DueState::missed);
  }
}

TEST(MisfireRule, GraceIsConfigurable) {
  MisfireRule rule{1h};
  date::sys_seconds due = utc(2022, 2, 2, 14, 0);
  EXPECT_EQ(rule.classify(model::NotificationKind::reminder, due, kSession, due + 59min),
            DueState::overdue);
  EXPECT_EQ(rule.classify(model::NotificationKind::reminder, due, kSession, due + 61min),
            DueState::missed);
}

TEST(DueState, Names) {
  EXPECT_EQ(to_string(DueState::pending), "pending");
  EXPECT_EQ(to_string(DueState::overdue), "overdue");
  EXPECT_EQ(to_string(DueState::missed), "missed");
}

}  // namespace
}  // namespace kutsu::scheduler
