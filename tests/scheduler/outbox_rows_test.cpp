#include "scheduler/outbox_rows.h"

#include <gtest/gtest.h>

#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;
using model::testing::utc;

TEST(OutboxRows, EveryNotificationBecomesARowWithTheNamesOfInterfacesMd) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  ASSERT_TRUE(plan.diagnostics.empty());
  const std::vector<store::PlannedNotification> rows = planned_rows(plan);
  ASSERT_EQ(rows.size(), 4u);

  const store::PlannedNotification& invitation = rows[0];
  EXPECT_EQ(invitation.id, plan.notifications[0].id.to_string());
  EXPECT_EQ(invitation.kind, "invitation");
  EXPECT_EQ(invitation.session_id, std::nullopt);
  EXPECT_EQ(invitation.offset, std::nullopt);
  EXPECT_EQ(invitation.channel, "email");
  EXPECT_EQ(invitation.due, utc(2022, 1, 19, 7, 0));
  EXPECT_EQ(invitation.session_start, date::sys_seconds{});

  const store::PlannedNotification& reminder = rows[3];
  EXPECT_EQ(reminder.kind, "reminder");
  EXPECT_EQ(reminder.session_id, "verkosto");
  EXPECT_EQ(reminder.offset, "PT1H");
  EXPECT_EQ(reminder.due, utc(2022, 2, 2, 15, 0));
  EXPECT_EQ(reminder.session_start, utc(2022, 2, 2, 16, 0));
  EXPECT_EQ(reminder.id.size(), 32u);
}

TEST(OutboxRows, NotificationRowsShowThePlanAndThenItsUpdatesWithoutCopying) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  std::vector<model::Notification> updates{plan.notifications[3]};
  updates[0].kind = model::NotificationKind::update;
  updates[0].reminder = nullptr;

  const NotificationRows rows(plan.notifications, updates);
  ASSERT_EQ(rows.size(), 5u);
  for (std::size_t index = 0; index < rows.size(); ++index) {
    const store::PlannedNotification row = rows.row(index);
    EXPECT_EQ(std::string(rows.id(index).data(), 32), row.id);
    EXPECT_EQ(rows.due(index), row.due);
  }
  EXPECT_EQ(rows.row(0).kind, "invitation");
  const store::PlannedNotification update = rows.row(4);
  EXPECT_EQ(update.kind, "update");
  EXPECT_EQ(update.offset, std::nullopt);
  EXPECT_EQ(update.session_id, "verkosto");
  EXPECT_EQ(update.recipient, std::string(plan.notifications[3].recipient));
  EXPECT_EQ(planned_rows(plan).size(), 4u);  // planned_rows: the plan only
}

TEST(OutboxRows, TheMisfireRuleGivesUpOnRemindersPastTheGraceButNotOnInvitations) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  const MisfireRule rule{15min};
  // 15 minutes after the reminders were due: still sent.
  EXPECT_TRUE(misfired_ids(plan, rule, utc(2022, 2, 2, 15, 15)).empty());
  // One second more: the two reminders are missed; the invitation (about a
  // series that has not ended) is still sent late.
  const std::vector<std::string> missed = misfired_ids(plan, rule, utc(2022, 2, 2, 15, 15) + 1s);
  EXPECT_EQ(missed, (std::vector<std::string>{plan.notifications[2].id.to_string(),
                                              plan.notifications[3].id.to_string()}));
  // After the series ended, the invitation is missed too.
  EXPECT_EQ(misfired_ids(plan, rule, utc(2022, 2, 2, 17, 30) + 1s).size(), 4u);
}

TEST(OutboxRows, TheMisfireRuleCanBeAskedAboutSomeRowsOnly) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  const MisfireRule rule{std::chrono::minutes(15)};
  const date::sys_seconds late = utc(2022, 2, 2, 17, 30) + 1s;  // all four are missed
  const std::vector<std::string> candidates{plan.notifications[3].id.to_string(),
                                            plan.notifications[0].id.to_string(), "not an id",
                                            std::string(32, 'f')};
  EXPECT_EQ(misfired_ids(plan, rule, late, candidates),
            (std::vector<std::string>{plan.notifications[0].id.to_string(),
                                      plan.notifications[3].id.to_string()}));
  EXPECT_TRUE(misfired_ids(plan, rule, late, std::vector<std::string>{}).empty());
}

}  // namespace
}  // namespace kutsu::scheduler
