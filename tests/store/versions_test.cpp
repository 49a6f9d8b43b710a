// Series and session versions: put replaces, get finds, lists are ordered.
#include <gtest/gtest.h>

#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using testing::feb;
using testing::OutboxTest;

class Versions : public OutboxTest {};

TEST_F(Versions, SeriesVersionIsReplacedByTheLatestLoad) {
  EXPECT_EQ(outbox().series_version("aluevaltuutetut").value(), std::nullopt);
  SeriesVersion first{"aluevaltuutetut", "sha256:aa", feb(1, 9), true, ""};
  ASSERT_TRUE(outbox().put_series_version(first).ok());
  EXPECT_EQ(outbox().series_version("aluevaltuutetut").value(), first);

  SeriesVersion broken{"aluevaltuutetut", "sha256:bb", feb(1, 10), false,
                       "a.toml:3:9: error: unknown key 'titel'"};
  ASSERT_TRUE(outbox().put_series_version(broken).ok());
  EXPECT_EQ(outbox().series_version("aluevaltuutetut").value(), broken);

  SeriesVersion other{"aamukahvit", "sha256:cc", feb(1, 11), true, ""};
  ASSERT_TRUE(outbox().put_series_version(other).ok());
  EXPECT_EQ(outbox().series_versions().value(), (std::vector{other, broken}));
}

TEST_F(Versions, SessionVersionRemembersTheLastPublishedForm) {
  EXPECT_EQ(outbox().session_version("s", "verkosto").value(), std::nullopt);
  SessionVersion first{"s", "verkosto", feb(2, 16), feb(2, 17, 30), 0, false};
  ASSERT_TRUE(outbox().put_session_version(first).ok());
  EXPECT_EQ(outbox().session_version("s", "verkosto").value(), first);

  SessionVersion moved{"s", "verkosto", feb(3, 16), feb(3, 17, 30),
                       1,   false,      feb(2, 16), feb(2, 17, 30)};
  moved.changed_at = feb(1, 9);  // the reload that found the move (schema 6)
  ASSERT_TRUE(outbox().put_session_version(moved).ok());
  SessionVersion cancelled{"s", "alku", feb(1, 16), feb(1, 17), 3, true};
  ASSERT_TRUE(outbox().put_session_version(cancelled).ok());
  SessionVersion elsewhere{"t", "verkosto", feb(1, 16), feb(1, 17), 0, false};
  ASSERT_TRUE(outbox().put_session_version(elsewhere).ok());

  EXPECT_EQ(outbox().session_version("s", "verkosto").value(), moved);
  EXPECT_EQ(outbox().session_versions("s").value(), (std::vector{cancelled, moved}));
}

TEST_F(Versions, AnInvitationCountsAsSentOnceOneWentOut) {
  PlannedNotification invitation = testing::planned(1, feb(1, 9), std::nullopt);
  invitation.kind = "invitation";
  ASSERT_TRUE(outbox()
                  .apply_plan("s", std::vector{invitation, testing::planned(2, feb(1, 8))}, feb(1))
                  .ok());
  EXPECT_FALSE(outbox().invitation_sent("s").value());

  // Claims what is due at `at` (one row) and records it sent.
  auto send_due = [&](Instant at) {
    std::vector<NotificationRow> claimed = outbox().claim_due(at, 1).value();
    ASSERT_EQ(claimed.size(), 1u);
    ASSERT_TRUE(outbox()
                    .record_results(std::vector{RecordedAttempt{
                        claimed[0].id, Attempt{at, AttemptResult::sent(250, "ok")}, {}}})
                    .ok());
  };
  send_due(feb(1, 8));  // the reminder: not an invitation sent
  EXPECT_FALSE(outbox().invitation_sent("s").value());

  send_due(feb(1, 9));  // the invitation
  EXPECT_TRUE(outbox().invitation_sent("s").value());
  EXPECT_FALSE(outbox().invitation_sent("other").value());
}

TEST_F(Versions, AnInvitationBeingSentCountsAsSent) {
  // Its text already has the sessions as they are now: a session deleted or
  // moved meanwhile needs a cancellation or an update all the same.
  PlannedNotification invitation = testing::planned(1, feb(1, 9), std::nullopt);
  invitation.kind = "invitation";
  ASSERT_TRUE(outbox().apply_plan("s", std::vector{invitation}, feb(1)).ok());
  ASSERT_EQ(outbox().claim_due(feb(1, 9), 1).value().size(), 1u);
  EXPECT_TRUE(outbox().invitation_sent("s").value());
}

}  // namespace
}  // namespace kutsu::store
