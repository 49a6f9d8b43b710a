#include "scheduler/session_changes.h"

#include <gtest/gtest.h>

#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;
using model::testing::hours;
using model::testing::local;
using model::testing::utc;

store::SessionVersion published(int sequence, bool cancelled = false) {
  return store::SessionVersion{
      "webinaarit", "verkosto", utc(2022, 2, 2, 16, 0), utc(2022, 2, 2, 17, 30),
      sequence,     cancelled};
}

TEST(SessionChanges, AFirstSeenSessionIsRecordedWithSequenceZero) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  const SessionChanges changes = compare_sessions(plan, {}, false);
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0], published(0));
  EXPECT_TRUE(changes.updates.empty());
  EXPECT_EQ(changes.sequences.at("verkosto"), 0);
}

TEST(SessionChanges, AMoveAfterTheInvitationRaisesTheSequenceAndUpdatesEveryoneInvited) {
  agenda::Series series = model::testing::invited_series();
  series.sessions[0] = model::testing::session("verkosto", local(2022, 2, 3, 18, 0));
  const Plan plan = plan_series(series);
  const std::vector<store::SessionVersion> stored = {published(0)};
  const SessionChanges changes = compare_sessions(plan, stored, true);

  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0].sequence, 1);
  EXPECT_EQ(changes.changed[0].start, utc(2022, 2, 3, 16, 0));
  // Kept for the update notice: "the time has changed from …".
  EXPECT_EQ(changes.changed[0].previous_start, utc(2022, 2, 2, 16, 0));
  EXPECT_EQ(changes.changed[0].previous_end, utc(2022, 2, 2, 17, 30));
  EXPECT_EQ(changes.previous_times.at("verkosto").start, utc(2022, 2, 2, 16, 0));
  EXPECT_EQ(changes.previous_times.at("verkosto").end, utc(2022, 2, 2, 17, 30));
  EXPECT_EQ(changes.sequences.at("verkosto"), 1);
  ASSERT_EQ(changes.updates.size(), 2u);
  for (const model::Notification& update : changes.updates) {
    EXPECT_EQ(update.kind, model::NotificationKind::update);
    EXPECT_EQ(update.session, &series.sessions[0]);
    EXPECT_EQ(update.session_start, utc(2022, 2, 3, 16, 0));
    EXPECT_EQ(update.due, utc(2022, 1, 19, 7, 0) + 1s);  // right after the invitation
  }
  EXPECT_EQ(changes.updates[0].recipient, "matti@example.org");
  EXPECT_NE(changes.updates[0].id, changes.updates[1].id);

  // Re-planning the same file against what is now stored wants the same updates.
  const std::vector<store::SessionVersion> now_stored = {changes.changed[0]};
  const SessionChanges again = compare_sessions(plan, now_stored, true);
  EXPECT_TRUE(again.changed.empty());
  EXPECT_EQ(again.previous_times.at("verkosto").start, utc(2022, 2, 2, 16, 0));
  ASSERT_EQ(again.updates.size(), 2u);
  EXPECT_EQ(again.updates[0].id, changes.updates[0].id);
  EXPECT_EQ(again.updates[1].id, changes.updates[1].id);
}

TEST(SessionChanges, AMoveBeforeTheInvitationTellsNobody) {
  agenda::Series series = model::testing::invited_series();
  series.sessions[0] = model::testing::session("verkosto", local(2022, 2, 3, 18, 0));
  const Plan plan = plan_series(series);
  const std::vector<store::SessionVersion> stored = {published(0)};
  const SessionChanges changes = compare_sessions(plan, stored, false);
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0].sequence, 0);
  EXPECT_EQ(changes.changed[0].previous_start, std::nullopt);
  EXPECT_TRUE(changes.previous_times.empty());
  EXPECT_TRUE(changes.updates.empty());
}

TEST(SessionChanges, ACancellationRaisesTheSequenceAndLeavesTheNoticeToThePlanner) {
  agenda::Series series = model::testing::invited_series();
  series.sessions[0].cancelled = true;
  const Plan plan = plan_series(series);
  const std::vector<store::SessionVersion> stored = {published(0)};
  const SessionChanges changes = compare_sessions(plan, stored, true);
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0], published(1, true));
  EXPECT_TRUE(changes.updates.empty());
  EXPECT_EQ(changes.sequences.at("verkosto"), 1);
}

}  // namespace
}  // namespace kutsu::scheduler
