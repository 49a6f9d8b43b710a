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
  store::SessionVersion version{
      "webinaarit", "verkosto", utc(2022, 2, 2, 16, 0), utc(2022, 2, 2, 17, 30),
      sequence,     cancelled};
  version.title = "Session verkosto";
  return version;
}

// A second session, "hoitoketjut", as the outbox remembers it.
store::SessionVersion gone(int sequence, std::optional<store::Instant> removed_at = std::nullopt) {
  store::SessionVersion version{
      "webinaarit", "hoitoketjut", utc(2022, 2, 16, 16, 0), utc(2022, 2, 16, 17, 30),
      sequence,     false};
  version.title = "Hoitoketjut";
  version.removed_at = removed_at;
  return version;
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
  const store::Instant reload = utc(2022, 1, 25, 10, 30);  // six days after the invitation
  const SessionChanges changes = compare_sessions(plan, stored, true, ChangeClock{reload});

  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0].sequence, 1);
  EXPECT_EQ(changes.changed[0].changed_at, reload);
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
    // When it was planned, not six days late (a second after the invitation).
    EXPECT_EQ(update.due, reload);
  }
  EXPECT_EQ(changes.updates[0].recipient, "matti@example.org");
  EXPECT_NE(changes.updates[0].id, changes.updates[1].id);

  // Re-planning the same file against what is now stored wants the same
  // updates, due when they were first planned.
  const std::vector<store::SessionVersion> now_stored = {changes.changed[0]};
  const SessionChanges again = compare_sessions(plan, now_stored, true, ChangeClock{reload + 1h});
  EXPECT_TRUE(again.changed.empty());
  EXPECT_EQ(again.previous_times.at("verkosto").start, utc(2022, 2, 2, 16, 0));
  ASSERT_EQ(again.updates.size(), 2u);
  EXPECT_EQ(again.updates[0].id, changes.updates[0].id);
  EXPECT_EQ(again.updates[1].id, changes.updates[1].id);
  EXPECT_EQ(again.updates[0].due, reload);
}

TEST(SessionChanges, AMoveStoredBeforeTheOutboxKeptItsMomentIsDueAfterTheInvitation) {
  agenda::Series series = model::testing::invited_series();
  series.sessions[0] = model::testing::session("verkosto", local(2022, 2, 3, 18, 0));
  const Plan plan = plan_series(series);
  store::SessionVersion moved = published(1);  // schema 5: no changed_at
  moved.start = utc(2022, 2, 3, 16, 0);
  moved.end = utc(2022, 2, 3, 17, 30);
  const std::vector<store::SessionVersion> stored = {moved};
  const SessionChanges changes =
      compare_sessions(plan, stored, true, ChangeClock{utc(2022, 1, 25, 10, 30)});
  EXPECT_TRUE(changes.changed.empty());
  ASSERT_EQ(changes.updates.size(), 2u);
  EXPECT_EQ(changes.updates[0].due, utc(2022, 1, 19, 7, 0) + 1s);  // as it was: not moved
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
  Plan plan = plan_series(series);
  const std::vector<store::SessionVersion> stored = {published(0)};
  const store::Instant reload = utc(2022, 1, 25, 10, 30);
  const SessionChanges changes = compare_sessions(plan, stored, true, ChangeClock{reload});
  ASSERT_EQ(changes.changed.size(), 1u);
  store::SessionVersion expected = published(1, true);
  expected.changed_at = reload;
  EXPECT_EQ(changes.changed[0], expected);
  EXPECT_TRUE(changes.updates.empty());
  EXPECT_EQ(changes.sequences.at("verkosto"), 1);

  // The planner's cancellations are due a second after the invitation; the
  // reload that found them is when they were planned.
  EXPECT_EQ(changes.cancelled_at.at("verkosto"), reload);
  EXPECT_TRUE(date_cancellations(plan, changes));
  int cancellations = 0;
  for (std::size_t i = 0; i < plan.notifications.size(); ++i) {
    const model::Notification& notification = plan.notifications[i];
    if (i > 0) EXPECT_LE(plan.notifications[i - 1].due, notification.due) << "still sorted";
    if (notification.kind != model::NotificationKind::cancellation) continue;
    ++cancellations;
    EXPECT_EQ(notification.due, reload);
  }
  EXPECT_EQ(cancellations, 2);
  EXPECT_FALSE(date_cancellations(plan, changes));  // the same again changes nothing
}

TEST(SessionChanges, ASessionDeletedAfterTheInvitationIsCancelledAfterTheDelay) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  const store::Instant reload = utc(2022, 2, 1, 9, 0);
  const std::vector<store::SessionVersion> stored = {published(0), gone(2)};
  const SessionChanges changes = compare_sessions(plan, stored, true, ChangeClock{reload, 10min});

  // Found gone now: remembered, with the moment, for the delay to count from.
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0], gone(2, reload));
  ASSERT_EQ(changes.removed.size(), 1u);
  const agenda::Session& removed = changes.removed[0];
  EXPECT_EQ(removed.id, "hoitoketjut");
  EXPECT_EQ(removed.title, "Hoitoketjut");
  EXPECT_TRUE(removed.cancelled);
  EXPECT_EQ(date::format("%FT%T", removed.start.local), "2022-02-16T18:00:00");
  EXPECT_EQ(changes.sequences.at("hoitoketjut"), 3);
  // One cancellation per invitation, 10 minutes after the reload.
  std::size_t invitations = 0;
  for (const model::Notification& n : plan.notifications) {
    invitations += n.kind == model::NotificationKind::invitation ? 1 : 0;
  }
  ASSERT_EQ(changes.cancellations.size(), invitations);
  for (const model::Notification& cancellation : changes.cancellations) {
    EXPECT_EQ(cancellation.kind, model::NotificationKind::cancellation);
    EXPECT_EQ(cancellation.session, &removed);
    EXPECT_EQ(cancellation.due, reload + 10min);
  }

  // A later reload while it is still gone: the same cancellations, still due
  // 10 minutes after the first reload (so reloading cannot put them off).
  const std::vector<store::SessionVersion> remembered = {published(0), gone(2, reload)};
  const SessionChanges later =
      compare_sessions(plan, remembered, true, ChangeClock{reload + 5min, 10min});
  EXPECT_TRUE(later.changed.empty());
  ASSERT_EQ(later.cancellations.size(), changes.cancellations.size());
  EXPECT_EQ(later.cancellations[0].id, changes.cancellations[0].id);
  EXPECT_EQ(later.cancellations[0].due, reload + 10min);
}

TEST(SessionChanges, NobodyIsToldOfADeletionBeforeTheInvitation) {
  const agenda::Series series = model::testing::invited_series();
  const Plan plan = plan_series(series);
  const std::vector<store::SessionVersion> stored = {published(0), gone(0)};
  const SessionChanges changes =
      compare_sessions(plan, stored, false, ChangeClock{utc(2022, 1, 10, 9, 0), 10min});
  EXPECT_TRUE(changes.removed.empty());
  EXPECT_TRUE(changes.cancellations.empty());
}

TEST(SessionChanges, ADeletionUndoneWithinTheDelaySendsNothingAfterItAnUpdate) {
  agenda::Series series = model::testing::invited_series();
  series.sessions.push_back(model::testing::session("hoitoketjut", local(2022, 2, 16, 18, 0)));
  const Plan plan = plan_series(series);
  const store::Instant removed_at = utc(2022, 2, 1, 9, 0);
  const std::vector<store::SessionVersion> stored = {published(0), gone(2, removed_at)};

  const SessionChanges soon =
      compare_sessions(plan, stored, true, ChangeClock{removed_at + 5min, 10min});
  EXPECT_TRUE(soon.cancellations.empty());
  ASSERT_EQ(soon.changed.size(), 1u);
  EXPECT_EQ(soon.changed[0].removed_at, std::nullopt);
  EXPECT_EQ(soon.changed[0].sequence, 2);
  EXPECT_EQ(soon.sequences.at("hoitoketjut"), 2);

  const SessionChanges late =
      compare_sessions(plan, stored, true, ChangeClock{removed_at + 15min, 10min});
  ASSERT_EQ(late.changed.size(), 1u);
  EXPECT_EQ(late.changed[0].sequence, 3);
  EXPECT_FALSE(late.updates.empty());
  for (const model::Notification& update : late.updates) {
    EXPECT_EQ(update.session->id, "hoitoketjut");
  }
}

}  // namespace
}  // namespace kutsu::scheduler
