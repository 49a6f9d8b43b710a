// The admin API's queries behind AsyncOutbox, the same assertions against
// both stores (SQLite through LocalOutbox, PostgreSQL through PgOutbox):
// counts by state, kind and session, one notification with its history,
// cursor-paged listings in both orders, what is still to send by slice,
// and the nodes sharing the outbox.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/store/async_outbox_support.h"

namespace kutsu::store {
namespace {

using testing::await;
using testing::feb;
using testing::id_of;
using testing::planned;
using testing::RowsOf;

class AdminQueriesContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::make_store(GetParam(), io_);
    outbox().set_loaded_versions({{"s", "v1"}});
    // Six rows of series s: an invitation (no session), reminders 2–4 in
    // session s1 due on Feb 2, 5–6 in s2 due on Feb 3; then 2 sent, 3
    // retrying, 4 failed.
    std::vector<PlannedNotification> rows;
    PlannedNotification invitation = planned(1, feb(1, 12), std::nullopt);
    invitation.kind = "invitation";
    invitation.offset.reset();
    rows.push_back(invitation);
    for (unsigned long long n = 2; n <= 4; ++n) rows.push_back(planned(n, feb(2, n)));
    for (unsigned long long n = 5; n <= 6; ++n) rows.push_back(planned(n, feb(3, n), "s2"));
    RowsOf wanted(std::move(rows));
    Result<PlanDiff> diff = await<PlanDiff>(io_, [&](auto done) {
      outbox().async_apply_plan("s", "v1", wanted, feb(1), {}, std::move(done));
    });
    ASSERT_TRUE(diff.ok()) << diff.error().message;
    Result<std::vector<NotificationRow>> claimed = await<std::vector<NotificationRow>>(
        io_, [&](auto done) { outbox().async_claim_due(feb(2, 5), 3, std::move(done)); });
    ASSERT_TRUE(claimed.ok()) << claimed.error().message;
    ASSERT_EQ(claimed->size(), 3u);  // 1, 2 and 3: the limit leaves 4 pending
    std::vector<RecordedAttempt> results{
        {id_of(1), Attempt{feb(2, 5), AttemptResult::sent(250, "ok")}, std::nullopt},
        {id_of(2), Attempt{feb(2, 5), AttemptResult::sent(250, "ok")}, std::nullopt},
        {id_of(3), Attempt{feb(2, 5), AttemptResult::retry(451, "busy")}, feb(2, 6)}};
    Status recorded = await_status([&](auto done) {
      outbox().async_record_results(results, std::move(done));
    });
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  template <typename Call>
  Status await_status(Call call) {
    Result<bool> done = await<bool>(io_, [&](auto reply) {
      call([reply = std::move(reply)](Status status) mutable {
        if (!status) return reply(status.error());
        reply(true);
      });
    });
    if (!done) return done.error();
    return {};
  }

  AsyncOutbox& outbox() { return store_->outbox(); }

  template <typename T, typename Call>
  T value(Call call) {
    Result<T> got = await<T>(io_, call);
    EXPECT_TRUE(got.ok()) << got.error().message;
    return got.ok() ? std::move(got).value() : T{};
  }

  NotificationPage page(NotificationQuery query) {
    return value<NotificationPage>(
        [&](auto done) { outbox().async_list(query, std::move(done)); });
  }

  boost::asio::io_context io_;
  std::unique_ptr<testing::StoreUnderTest> store_;
};

TEST_P(AdminQueriesContract, CountsByStateForAllASeriesAndASession) {
  StateCounts all = value<StateCounts>(
      [&](auto done) { outbox().async_state_counts(std::nullopt, std::nullopt, std::move(done)); });
  EXPECT_EQ(all[NotificationState::sent], 2);
  EXPECT_EQ(all[NotificationState::retrying], 1);
  EXPECT_EQ(all[NotificationState::pending], 3);
  StateCounts s2 = value<StateCounts>(
      [&](auto done) { outbox().async_state_counts("s", "s2", std::move(done)); });
  EXPECT_EQ(s2[NotificationState::pending], 2);
  EXPECT_EQ(s2.total(), 2);
  Result<StateCounts> refused = await<StateCounts>(
      io_, [&](auto done) { outbox().async_state_counts(std::nullopt, "s2", std::move(done)); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
}

TEST_P(AdminQueriesContract, CountsByKindAndBySessionInvitationsFirst) {
  std::vector<KindStateCounts> kinds = value<std::vector<KindStateCounts>>(
      [&](auto done) { outbox().async_kind_state_counts(std::move(done)); });
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_EQ(kinds[0].kind, "invitation");
  EXPECT_EQ(kinds[0].counts[NotificationState::sent], 1);
  EXPECT_EQ(kinds[1].kind, "reminder");
  EXPECT_EQ(kinds[1].counts.total(), 5);
  std::vector<SessionStateCounts> sessions = value<std::vector<SessionStateCounts>>(
      [&](auto done) { outbox().async_session_state_counts("s", std::move(done)); });
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions[0].session_id, std::nullopt);
  EXPECT_EQ(sessions[1].session_id, "s1");
  EXPECT_EQ(sessions[1].counts.total(), 3);
  EXPECT_EQ(sessions[2].session_id, "s2");
}

TEST_P(AdminQueriesContract, FindsANotificationWithItsHistoryAndNothingForAnUnknownId) {
  std::optional<NotificationDetail> found = value<std::optional<NotificationDetail>>(
      [&](auto done) { outbox().async_find(id_of(3), std::move(done)); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->row.state, NotificationState::retrying);
  EXPECT_EQ(found->row.next_attempt_at, feb(2, 6));
  ASSERT_EQ(found->attempts.size(), 1u);
  EXPECT_EQ(found->attempts[0].result.code, 451);
  EXPECT_EQ(found->attempts[0].result.detail, "busy");
  std::optional<NotificationDetail> none = value<std::optional<NotificationDetail>>(
      [&](auto done) { outbox().async_find(id_of(99), std::move(done)); });
  EXPECT_FALSE(none);
}

TEST_P(AdminQueriesContract, ListsInPagesThatFollowTheCursorInBothOrders) {
  NotificationQuery query;
  query.limit = 4;
  NotificationPage first = page(query);
  ASSERT_EQ(first.rows.size(), 4u);
  EXPECT_EQ(first.rows[0].id, id_of(1));
  ASSERT_TRUE(first.next_cursor);
  query.after = first.next_cursor;
  NotificationPage second = page(query);
  ASSERT_EQ(second.rows.size(), 2u);
  EXPECT_EQ(second.rows[1].id, id_of(6));
  EXPECT_FALSE(second.next_cursor);

  NotificationQuery newest;
  newest.order = ListOrder::newest;
  newest.limit = 1;
  newest.series_id = "s";
  newest.session_id = "s2";
  NotificationPage last = page(newest);
  ASSERT_EQ(last.rows.size(), 1u);
  EXPECT_EQ(last.rows[0].id, id_of(6));
  newest.after = last.next_cursor;
  EXPECT_EQ(page(newest).rows.at(0).id, id_of(5));

  NotificationQuery sent;
  sent.state = NotificationState::sent;
  EXPECT_EQ(page(sent).rows.size(), 2u);

  NotificationQuery bad;
  bad.after = "not a cursor";
  Result<NotificationPage> refused =
      await<NotificationPage>(io_, [&](auto done) { outbox().async_list(bad, std::move(done)); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  bad.after.reset();
  bad.limit = 0;
  refused = await<NotificationPage>(io_, [&](auto done) { outbox().async_list(bad, std::move(done)); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
}

TEST_P(AdminQueriesContract, CountsWhatIsStillToSendBySliceOfTime) {
  std::vector<DueSlice> days = value<std::vector<DueSlice>>([&](auto done) {
    outbox().async_pending_by_slice("s", feb(10), std::chrono::days(1), std::move(done));
  });
  // Feb 2: the pending 4 and the retrying 3 (tried again at 06:00); Feb 3: 5 and 6.
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0], (DueSlice{feb(2), 2}));
  EXPECT_EQ(days[1], (DueSlice{feb(3), 2}));
}

TEST_P(AdminQueriesContract, ListsTheNodesWithTheVersionsTheySendFrom) {
  if (auto* pg = dynamic_cast<pg::PgOutbox*>(&outbox())) {
    Status beat = await_status([&](auto done) { pg->async_heartbeat(std::move(done)); });
    ASSERT_TRUE(beat.ok()) << beat.error().message;
  }
  std::vector<NodeStatus> nodes = value<std::vector<NodeStatus>>(
      [&](auto done) { outbox().async_nodes(std::move(done)); });
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].versions, (LoadedVersions{{"s", "v1"}}));
  EXPECT_GT(nodes[0].heartbeat_at, feb(1));
}

INSTANTIATE_TEST_SUITE_P(Stores, AdminQueriesContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kutsu::store
