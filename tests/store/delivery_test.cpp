// Claiming, recording results, recovery after a crash, missed and retry.
#include <gtest/gtest.h>

#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using testing::feb;
using testing::id_of;
using testing::OutboxTest;
using testing::planned;

class Delivery : public OutboxTest {
 protected:
  std::vector<std::string> claim(Instant now, std::size_t limit) {
    Result<std::vector<NotificationRow>> rows = outbox().claim_due(now, limit);
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    std::vector<std::string> ids;
    if (rows.ok()) {
      for (const NotificationRow& r : *rows) ids.push_back(r.id);
    }
    return ids;
  }
  void record(std::vector<RecordedAttempt> recorded) {
    Status status = outbox().record_results(recorded);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  std::vector<Attempt> attempts(unsigned long long n) {
    return outbox().find(id_of(n)).value()->attempts;
  }
};

TEST_F(Delivery, ClaimsWhatIsDueEarliestFirstAndMarksItSending) {
  plan({planned(1, feb(1, 12)), planned(2, feb(1, 10)), planned(3, feb(1, 11)),
        planned(4, feb(1, 13))});
  Result<std::vector<NotificationRow>> claimed = outbox().claim_due(feb(1, 12), 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 3u);
  EXPECT_EQ((*claimed)[0].id, id_of(2));
  EXPECT_EQ((*claimed)[1].id, id_of(3));
  EXPECT_EQ((*claimed)[2].id, id_of(1));
  EXPECT_EQ((*claimed)[0].state, NotificationState::sending);
  EXPECT_EQ((*claimed)[0].updated_at, feb(1, 12));
  EXPECT_EQ(row(2).state, NotificationState::sending);
  EXPECT_EQ(row(4).state, NotificationState::pending);
  // Claimed rows are not handed out twice.
  EXPECT_TRUE(claim(feb(1, 12), 10).empty());
  EXPECT_EQ(outbox().next_due().value(), feb(1, 13));
}

TEST_F(Delivery, ClaimRespectsTheLimitAndBreaksTiesById) {
  plan({planned(5, feb(1, 10)), planned(3, feb(1, 10)), planned(4, feb(1, 10)),
        planned(1, feb(1, 11))});
  EXPECT_EQ(claim(feb(1, 12), 2), (std::vector{id_of(3), id_of(4)}));
  EXPECT_EQ(claim(feb(1, 12), 2), (std::vector{id_of(5), id_of(1)}));
  EXPECT_TRUE(claim(feb(1, 12), 2).empty());
}

TEST_F(Delivery, HeldSeriesAreNeitherClaimedNorWaitedFor) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 12))});
  const std::vector<PlannedNotification> other{planned(3, feb(1, 11))};
  ASSERT_TRUE(outbox().apply_plan("other", other, feb(1)).ok());

  const std::vector<std::string> held{"s"};
  ASSERT_TRUE(outbox().hold_series(held).ok());
  EXPECT_EQ(outbox().next_due().value(), feb(1, 11));
  EXPECT_EQ(claim(feb(1, 13), 10), (std::vector{id_of(3)}));
  EXPECT_EQ(outbox().next_due().value(), std::nullopt);
  EXPECT_EQ(row(1).state, NotificationState::pending);

  // Released, the held rows are due again, earliest first.
  ASSERT_TRUE(outbox().hold_series({}).ok());
  EXPECT_EQ(outbox().next_due().value(), feb(1, 10));
  EXPECT_EQ(claim(feb(1, 13), 10), (std::vector{id_of(1), id_of(2)}));
}

TEST_F(Delivery, AHeldSeriesKeepsItsRetriesWaiting) {
  plan({planned(1, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 1u);
  record({RecordedAttempt{id_of(1), Attempt{feb(1, 10), AttemptResult::retry(451, "busy")},
                          feb(1, 11)}});
  const std::vector<std::string> held{"s", "s"};  // duplicates are harmless
  ASSERT_TRUE(outbox().hold_series(held).ok());
  EXPECT_EQ(outbox().next_due().value(), std::nullopt);
  EXPECT_TRUE(claim(feb(1, 12), 10).empty());
  ASSERT_TRUE(outbox().hold_series({}).ok());
  EXPECT_EQ(outbox().next_due().value(), feb(1, 11));
}

TEST_F(Delivery, MissingOnlyUntriedRowsLeavesRetriesAlone) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 1).size(), 1u);
  record({RecordedAttempt{id_of(1), Attempt{feb(1, 10), AttemptResult::retry(451, "busy")},
                          feb(1, 11)}});
  const std::vector<std::string> late{id_of(1), id_of(2)};
  EXPECT_EQ(outbox().mark_missed(late, feb(1, 12), Outbox::MissScope::untried).value(), 1u);
  EXPECT_EQ(row(1).state, NotificationState::retrying);
  EXPECT_EQ(row(2).state, NotificationState::missed);
}

TEST_F(Delivery, TheLastResultNamesTheCodeOnceWhenTheReplyCarriesIt) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 2u);
  record(
      {RecordedAttempt{id_of(1),
                       Attempt{feb(1, 10), AttemptResult::permanent(550, "550 5.1.1 No such user")},
                       std::nullopt},
       RecordedAttempt{id_of(2),
                       Attempt{feb(1, 10), AttemptResult::permanent(550, "5500 is not a reply")},
                       std::nullopt}});
  EXPECT_EQ(row(1).last_result, "permanent 550 5.1.1 No such user");
  EXPECT_EQ(row(2).last_result, "permanent 550 5500 is not a reply");
}

TEST_F(Delivery, NextDueIsEmptyWhenNothingWaits) {
  EXPECT_EQ(outbox().next_due().value(), std::nullopt);
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  EXPECT_EQ(outbox().next_due().value(), std::nullopt);
}

TEST_F(Delivery, ASentResultMarksTheRowSentAndAppendsTheAttempt) {
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  record({{id_of(1), {feb(1, 10, 1), AttemptResult::sent(250, "2.0.0 Ok: queued")}, {}}});
  NotificationRow sent = row(1);
  EXPECT_EQ(sent.state, NotificationState::sent);
  EXPECT_EQ(sent.sent_at, feb(1, 10, 1));
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_EQ(sent.last_result, "sent 250 2.0.0 Ok: queued");
  EXPECT_EQ(attempts(1),
            (std::vector<Attempt>{{feb(1, 10, 1), AttemptResult::sent(250, "2.0.0 Ok: queued")}}));
}

TEST_F(Delivery, ARetryWaitsForItsNextAttemptThenIsClaimedAgain) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 11))});
  claim(feb(1, 10), 1);
  record({{id_of(1), {feb(1, 10), AttemptResult::retry("connection refused")}, feb(1, 10, 30)}});
  NotificationRow retrying = row(1);
  EXPECT_EQ(retrying.state, NotificationState::retrying);
  EXPECT_EQ(retrying.next_attempt_at, feb(1, 10, 30));
  EXPECT_EQ(retrying.last_result, "retry connection refused");
  EXPECT_EQ(outbox().next_due().value(), feb(1, 10, 30));

  EXPECT_TRUE(claim(feb(1, 10, 29), 10).empty());
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(1), id_of(2)}));  // by due, not retry time
  record({{id_of(1), {feb(1, 11), AttemptResult::sent(250, "ok")}, {}},
          {id_of(2), {feb(1, 11), AttemptResult::sent(250, "ok")}, {}}});
  EXPECT_EQ(row(1).attempts, 2);
  EXPECT_EQ(row(1).next_attempt_at, std::nullopt);
  EXPECT_EQ(attempts(1).size(), 2u);
  EXPECT_EQ(attempts(1)[0].result, AttemptResult::retry("connection refused"));
}

TEST_F(Delivery, TheHistoryKeepsNoRetryAfterItHasAlreadyActedOn) {
  using namespace std::chrono_literals;
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  record({{id_of(1),
           {feb(1, 10), AttemptResult::retry(429, "HTTP/1.1 429 Slow down", 120s)},
           feb(1, 10, 2)}});
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 10, 2));
  EXPECT_EQ(
      attempts(1),
      (std::vector<Attempt>{{feb(1, 10), AttemptResult::retry(429, "HTTP/1.1 429 Slow down")}}));
}

TEST_F(Delivery, ARetryWithoutNextAttemptAndAPermanentErrorBothFail) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  claim(feb(1, 10), 2);
  record({{id_of(1), {feb(1, 10), AttemptResult::retry(451, "busy")}, std::nullopt},
          {id_of(2), {feb(1, 10), AttemptResult::permanent(550, "no such user")}, {}}});
  EXPECT_EQ(row(1).state, NotificationState::failed);
  EXPECT_EQ(row(2).state, NotificationState::failed);
  EXPECT_EQ(row(2).last_result, "permanent 550 no such user");
  EXPECT_EQ(outbox().next_due().value(), std::nullopt);
}

TEST_F(Delivery, ABatchWithAnUnknownIdRecordsNothing) {
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  std::vector<RecordedAttempt> results{
      {id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}},
      {id_of(99), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}};
  Status status = outbox().record_results(results);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "no notification " + id_of(99));
  EXPECT_EQ(status.error().code, ErrorCode::not_found);
  EXPECT_EQ(row(1).state, NotificationState::sending);
  EXPECT_TRUE(attempts(1).empty());
}

TEST_F(Delivery, ANextAttemptOnAnythingButARetryIsRefused) {
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  std::vector<RecordedAttempt> results{
      {id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, feb(1, 11)}};
  Status status = outbox().record_results(results);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "result for " + id_of(1) + " is 'sent' but names a next attempt; only a retry can");
  EXPECT_EQ(status.error().code, ErrorCode::invalid);
  EXPECT_EQ(row(1).state, NotificationState::sending);
}

TEST_F(Delivery, AResultForARowNoLongerSendingIsHistoryOnly) {
  plan({planned(1, feb(1, 10))});
  claim(feb(1, 10), 1);
  std::vector<std::string> ids{id_of(1)};
  ASSERT_EQ(outbox().mark_missed(ids, feb(1, 10)).value(), 1u);
  record({{id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}});
  EXPECT_EQ(row(1).state, NotificationState::missed);
  EXPECT_EQ(row(1).sent_at, std::nullopt);
  EXPECT_EQ(attempts(1).size(), 1u);
}

TEST_F(Delivery, RecoveryHandsInterruptedRowsOutAgain) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10))});
  claim(feb(1, 10), 3);
  // 2 had been tried once before the crash; 3 finished.
  record({{id_of(3), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}});
  {
    record({{id_of(2), {feb(1, 10), AttemptResult::retry(451, "busy")}, feb(1, 10, 1)}});
    EXPECT_EQ(claim(feb(1, 10, 1), 1), std::vector{id_of(2)});
  }
  Result<std::size_t> recovered = outbox().recover_interrupted(feb(1, 11));
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(*recovered, 2u);
  EXPECT_EQ(row(1).state, NotificationState::pending);
  EXPECT_EQ(row(2).state, NotificationState::retrying);
  EXPECT_EQ(row(2).next_attempt_at, feb(1, 11));
  EXPECT_EQ(row(3).state, NotificationState::sent);
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(1), id_of(2)}));
  EXPECT_EQ(outbox().recover_interrupted(feb(1, 11)).value(), 2u);
  EXPECT_EQ(outbox().recover_interrupted(feb(1, 11)).value(), 0u);
}

TEST_F(Delivery, MarkMissedTouchesOnlyRowsNotYetFinished) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 11))});
  claim(feb(1, 10), 1);
  record({{id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}});
  std::vector<std::string> ids{id_of(1), id_of(2), id_of(3), id_of(42)};
  Result<std::size_t> missed = outbox().mark_missed(ids, feb(1, 12));
  ASSERT_TRUE(missed.ok());
  EXPECT_EQ(*missed, 2u);
  EXPECT_EQ(row(1).state, NotificationState::sent);
  EXPECT_EQ(row(2).state, NotificationState::missed);
  EXPECT_EQ(row(3).updated_at, feb(1, 12));
}

TEST_F(Delivery, RetryRevivesFailedAndMissedWithAFreshRound) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  claim(feb(1, 10), 1);
  record({{id_of(1), {feb(1, 10), AttemptResult::permanent(554, "rejected")}, {}}});
  std::vector<std::string> ids{id_of(2)};
  ASSERT_EQ(outbox().mark_missed(ids, feb(1, 10)).value(), 1u);

  ASSERT_TRUE(outbox().retry(id_of(1), feb(1, 12)).ok());
  ASSERT_TRUE(outbox().retry(id_of(2), feb(1, 12)).ok());
  EXPECT_EQ(row(1).state, NotificationState::pending);
  EXPECT_EQ(row(1).attempts, 0);
  EXPECT_EQ(row(1).updated_at, feb(1, 12));
  EXPECT_EQ(attempts(1).size(), 1u);  // the history stays
  EXPECT_EQ(claim(feb(1, 12), 10), (std::vector{id_of(1), id_of(2)}));
}

TEST_F(Delivery, RetrySaysWhyItRefuses) {
  plan({planned(1, feb(1, 10))});
  Status pending = outbox().retry(id_of(1), feb(1, 12));
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().message,
            "notification " + id_of(1) +
                " is pending; only failed or missed notifications can be retried");
  EXPECT_EQ(pending.error().code, ErrorCode::conflict);
  Status unknown = outbox().retry(id_of(2), feb(1, 12));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "no notification " + id_of(2));
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace kutsu::store
