// The outbox's contract, the same assertions against both stores behind
// AsyncOutbox: SQLite (LocalOutbox) and PostgreSQL (PgOutbox, one node). A
// behaviour only one store shows is a drift between them.
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
using Rows = std::vector<NotificationRow>;

class OutboxContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::make_store(GetParam(), io_);
    // Every row below is planned from version v1 of its file.
    outbox().set_loaded_versions({{"s", "v1"}, {"other", "v1"}});
  }

  AsyncOutbox& outbox() { return store_->outbox(); }

  Result<PlanDiff> apply(std::vector<PlannedNotification> rows, Instant now = feb(1),
                         std::string series = "s", ApplyOptions options = {}) {
    RowsOf wanted(std::move(rows));
    return await<PlanDiff>(io_, [&](auto done) {
      outbox().async_apply_plan(series, "v1", wanted, now, options, std::move(done));
    });
  }
  PlanDiff plan(std::vector<PlannedNotification> rows, Instant now = feb(1)) {
    Result<PlanDiff> diff = apply(std::move(rows), now);
    EXPECT_TRUE(diff.ok()) << diff.error().message;
    return diff.ok() ? std::move(diff).value() : PlanDiff{};
  }
  std::vector<std::string> claim(Instant now, std::size_t limit) {
    Result<Rows> rows =
        await<Rows>(io_, [&](auto done) { outbox().async_claim_due(now, limit, std::move(done)); });
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    std::vector<std::string> ids;
    for (std::size_t i = 0; rows.ok() && i < rows->size(); ++i) ids.push_back((*rows)[i].id);
    return ids;
  }
  Status record(std::vector<RecordedAttempt> attempts) {
    return await<void>(
        io_, [&](auto done) { outbox().async_record_results(attempts, std::move(done)); });
  }
  std::optional<Instant> next_due() {
    Result<std::optional<Instant>> next =
        await<std::optional<Instant>>(io_, [&](auto done) { outbox().async_next_due(std::move(done)); });
    EXPECT_TRUE(next.ok()) << next.error().message;
    return next.ok() ? *next : std::nullopt;
  }
  NotificationRow row(unsigned long long n) {
    std::optional<NotificationRow> found = store_->row(id_of(n));
    if (!found) {
      ADD_FAILURE() << "no notification " << n;
      return {};
    }
    return *found;
  }
  NotificationState state(unsigned long long n) { return row(n).state; }

  boost::asio::io_context io_;
  std::unique_ptr<testing::StoreUnderTest> store_;
};

// --- Planning -------------------------------------------------------------------

TEST_P(OutboxContract, APlanInsertsPendingRowsAndAgainChangesNothing) {
  PlanDiff first = plan({planned(1, feb(1, 10)), planned(2, feb(1, 11)), planned(3, feb(1, 12))},
                        feb(1, 8));
  EXPECT_EQ(first.inserted, 3u);
  EXPECT_EQ(first.unchanged + first.rescheduled + first.revived + first.kept, 0u);
  EXPECT_TRUE(first.superseded.empty());
  EXPECT_TRUE(first.overdue.empty());
  NotificationRow one = row(1);
  EXPECT_EQ(one.state, NotificationState::pending);
  EXPECT_EQ(one.series_id, "s");
  EXPECT_EQ(one.session_id, "s1");
  EXPECT_EQ(one.offset, "PT1H");
  EXPECT_EQ(one.recipient, "matti1@example.org");
  EXPECT_EQ(one.due, feb(1, 10));
  EXPECT_EQ(one.session_start, feb(2, 18));
  EXPECT_EQ(one.created_at, feb(1, 8));
  EXPECT_EQ(one.attempts, 0);

  PlanDiff again = plan({planned(1, feb(1, 10)), planned(2, feb(1, 11)), planned(3, feb(1, 12))},
                        feb(1, 9));
  EXPECT_EQ(again.inserted, 0u);
  EXPECT_EQ(again.unchanged, 3u);
  EXPECT_TRUE(again.superseded.empty());
  EXPECT_EQ(row(1).updated_at, feb(1, 8));  // nothing written
}

TEST_P(OutboxContract, APlanMovesSupersedesAndRevives) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 11)), planned(3, feb(1, 12)),
        planned(4, feb(1, 9))});
  PlanDiff moved = plan({planned(1, feb(1, 10)), planned(2, feb(1, 13))}, feb(1, 8));
  EXPECT_EQ(moved.inserted, 0u);
  EXPECT_EQ(moved.unchanged, 1u);
  EXPECT_EQ(moved.rescheduled, 1u);
  ASSERT_EQ(moved.superseded.size(), 2u);  // by due
  EXPECT_EQ(moved.superseded[0].id, id_of(4));
  EXPECT_EQ(moved.superseded[1].id, id_of(3));
  EXPECT_EQ(moved.superseded[1].state, NotificationState::superseded);
  EXPECT_EQ(moved.superseded[1].updated_at, feb(1, 8));
  EXPECT_EQ(moved.superseded[1].recipient, "matti3@example.org");
  EXPECT_EQ(row(2).due, feb(1, 13));
  EXPECT_EQ(state(3), NotificationState::superseded);

  PlanDiff revived =
      plan({planned(1, feb(1, 10)), planned(2, feb(1, 13)), planned(3, feb(1, 7))}, feb(1, 8));
  EXPECT_EQ(revived.revived, 1u);
  EXPECT_EQ(revived.unchanged, 2u);
  EXPECT_EQ(revived.overdue, (std::vector{id_of(3)}));  // revived to a due already past
  EXPECT_EQ(row(3).state, NotificationState::pending);
  EXPECT_EQ(row(3).due, feb(1, 7));
  EXPECT_EQ(state(4), NotificationState::superseded);
}

TEST_P(OutboxContract, APlanLeavesRowsBeingSentOrDoneAlone) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 11))});
  ASSERT_EQ(claim(feb(1, 10), 1), (std::vector{id_of(1)}));
  ASSERT_EQ(claim(feb(1, 10), 1), (std::vector{id_of(2)}));
  ASSERT_TRUE(record({{id_of(2), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}}).ok());

  PlanDiff diff = plan({planned(1, feb(1, 12)), planned(2, feb(1, 12))}, feb(1, 10));
  EXPECT_EQ(diff.kept, 2u);
  EXPECT_EQ(diff.rescheduled, 0u);
  ASSERT_EQ(diff.superseded.size(), 1u);
  EXPECT_EQ(diff.superseded[0].id, id_of(3));
  EXPECT_EQ(row(1).due, feb(1, 10));
  EXPECT_EQ(state(1), NotificationState::sending);
  EXPECT_EQ(state(2), NotificationState::sent);
}

TEST_P(OutboxContract, OverdueNamesThePendingRowsAPlanPutInThePast) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 12))}, feb(1, 8));
  PlanDiff diff = plan({planned(1, feb(1, 8)), planned(2, feb(1, 12)), planned(3, feb(1, 9)),
                        planned(4, feb(1, 11))},
                       feb(1, 10));
  EXPECT_EQ(diff.inserted, 2u);
  EXPECT_EQ(diff.rescheduled, 1u);
  EXPECT_EQ(diff.unchanged, 1u);
  EXPECT_EQ(diff.overdue, (std::vector{id_of(1), id_of(3)}));
}

TEST_P(OutboxContract, APlanWithTheDigestOfTheLastOneAppliedIsNotComparedAgain) {
  const ApplyOptions digest_a{.plan_digest = "a"};
  Result<PlanDiff> first =
      apply({planned(1, feb(1, 10)), planned(2, feb(1, 11))}, feb(1, 8), "s", digest_a);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->same_plan);
  EXPECT_EQ(first->inserted, 2u);

  // The same digest: the outbox takes the caller's word and reads no row,
  // so even a plan it would have changed things for changes nothing.
  Result<PlanDiff> again = apply({planned(1, feb(1, 12))}, feb(1, 9), "s", digest_a);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->same_plan);
  EXPECT_EQ(again->inserted + again->rescheduled + again->unchanged + again->kept, 0u);
  EXPECT_TRUE(again->superseded.empty());
  EXPECT_EQ(row(1).due, feb(1, 10));
  EXPECT_EQ(state(2), NotificationState::pending);

  // The digest is kept per series.
  Result<PlanDiff> other = apply({planned(7, feb(1, 10))}, feb(1, 9), "other", digest_a);
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_FALSE(other->same_plan);
  EXPECT_EQ(other->inserted, 1u);

  // Another digest is compared in full, and kept in its place.
  const ApplyOptions digest_b{.plan_digest = "b"};
  Result<PlanDiff> moved = apply({planned(1, feb(1, 12))}, feb(1, 9), "s", digest_b);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_FALSE(moved->same_plan);
  EXPECT_EQ(moved->rescheduled, 1u);
  EXPECT_EQ(moved->superseded.size(), 1u);
  EXPECT_EQ(row(1).due, feb(1, 12));
  EXPECT_TRUE(apply({planned(1, feb(1, 12))}, feb(1, 9), "s", digest_b)->same_plan);
  EXPECT_FALSE(apply({planned(1, feb(1, 12))}, feb(1, 9), "s", digest_a)->same_plan);

  // A plan without a digest forgets the one kept: the rows may now match
  // neither, so the next plan is compared whatever its digest.
  Result<PlanDiff> undigested = apply({planned(1, feb(1, 13))}, feb(1, 9));
  ASSERT_TRUE(undigested.ok()) << undigested.error().message;
  EXPECT_EQ(undigested->rescheduled, 1u);
  Result<PlanDiff> after = apply({planned(1, feb(1, 12))}, feb(1, 9), "s", digest_a);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_FALSE(after->same_plan);
  EXPECT_EQ(after->rescheduled, 1u);
  EXPECT_EQ(row(1).due, feb(1, 12));
}

TEST_P(OutboxContract, OverdueUnsentNamesTheSeriesRowsNotYetSentWhoseDuePassed) {
  plan({planned(1, feb(1, 8)), planned(2, feb(1, 8)), planned(3, feb(1, 8)), planned(4, feb(1, 8)),
        planned(5, feb(1, 8)), planned(6, feb(1, 11)), planned(7, feb(1, 9))},
       feb(1, 7));
  ASSERT_TRUE(apply({planned(8, feb(1, 8))}, feb(1, 7), "other").ok());
  // 1 sent, 2 retrying, 3 sending, 4 missed, 5 still pending; 6 not due
  // yet; 7 superseded; 8 another series'.
  ASSERT_EQ(claim(feb(1, 8), 3), (std::vector{id_of(1), id_of(2), id_of(3)}));
  ASSERT_TRUE(record({{id_of(1), {feb(1, 8), AttemptResult::sent(250, "ok")}, {}},
                      {id_of(2), {feb(1, 8), AttemptResult::retry(451, "busy")}, feb(1, 9)}})
                  .ok());
  ASSERT_EQ(await<std::size_t>(io_, [&](auto done) {
              outbox().async_mark_missed({id_of(4)}, feb(1, 8), AsyncOutbox::MissScope::unsent,
                                         std::move(done));
            }).value(),
            1u);
  ASSERT_EQ(plan({planned(1, feb(1, 8)), planned(2, feb(1, 8)), planned(3, feb(1, 8)),
                  planned(4, feb(1, 8)), planned(5, feb(1, 8)), planned(6, feb(1, 11))},
                 feb(1, 8))
                .superseded.size(),
            1u);

  auto overdue = [&](Instant now) {
    return await<std::vector<std::string>>(io_, [&](auto done) {
             outbox().async_overdue_unsent("s", now, std::move(done));
           }).value();
  };
  EXPECT_EQ(overdue(feb(1, 10)), (std::vector{id_of(2), id_of(3), id_of(5)}));
  EXPECT_EQ(overdue(feb(1, 8)), std::vector<std::string>{});  // due at now is not overdue
  EXPECT_EQ(overdue(feb(1, 12)), (std::vector{id_of(2), id_of(3), id_of(5), id_of(6)}));
}

TEST_P(OutboxContract, APlanThatCannotBeStoredIsRefusedWhole) {
  PlannedNotification malformed = planned(1, feb(1, 10));
  malformed.id = "ABCDEF0123456789ABCDEF0123456789";
  Result<PlanDiff> bad = apply({planned(2, feb(1, 10)), malformed});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid);

  Result<PlanDiff> twice = apply({planned(2, feb(1, 10)), planned(2, feb(1, 11))});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::invalid);
  EXPECT_NE(twice.error().message.find(id_of(2)), std::string::npos) << twice.error().message;

  ASSERT_TRUE(apply({planned(5, feb(1, 10))}, feb(1), "other").ok());
  Result<PlanDiff> foreign = apply({planned(6, feb(1, 10)), planned(5, feb(1, 10))});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::conflict);
  EXPECT_NE(foreign.error().message.find("other"), std::string::npos) << foreign.error().message;
  EXPECT_FALSE(store_->row(id_of(6)).has_value());  // nothing of it stayed
  EXPECT_FALSE(store_->row(id_of(2)).has_value());
}

TEST_P(OutboxContract, PlanGenerationsHoldBackRowsUntilInForce) {
  plan({planned(1, feb(1, 10))});
  Result<PlanGeneration> generation = await<PlanGeneration>(
      io_, [&](auto done) { outbox().async_next_plan_generation(std::move(done)); });
  ASSERT_TRUE(generation.ok()) << generation.error().message;
  EXPECT_GE(*generation, 1);
  outbox().set_generation_in_force(*generation - 1);
  ApplyOptions options;
  options.generation = *generation;
  ASSERT_TRUE(apply({planned(1, feb(1, 10)), planned(2, feb(1, 10))}, feb(1), "s", options).ok());
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(1)}));
  outbox().set_generation_in_force(*generation);
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(2)}));
}

// --- Claims -----------------------------------------------------------------------

TEST_P(OutboxContract, ClaimsTakeWhatIsDueEarliestFirstWithinTheLimit) {
  plan({planned(5, feb(1, 10)), planned(3, feb(1, 10)), planned(4, feb(1, 10)),
        planned(1, feb(1, 11)), planned(2, feb(1, 13))});
  EXPECT_EQ(next_due(), feb(1, 10));
  EXPECT_EQ(claim(feb(1, 12), 2), (std::vector{id_of(3), id_of(4)}));
  NotificationRow claimed = row(3);
  EXPECT_EQ(claimed.state, NotificationState::sending);
  EXPECT_EQ(claimed.updated_at, feb(1, 12));
  EXPECT_EQ(claim(feb(1, 12), 2), (std::vector{id_of(5), id_of(1)}));
  EXPECT_TRUE(claim(feb(1, 12), 2).empty());
  EXPECT_EQ(next_due(), feb(1, 13));
  EXPECT_EQ(state(2), NotificationState::pending);
}

TEST_P(OutboxContract, HeldSeriesAreNeitherClaimedNorWaitedFor) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 12))});
  ASSERT_TRUE(apply({planned(3, feb(1, 11))}, feb(1), "other").ok());
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                outbox().async_hold_series({"s"}, std::move(done));
              }).ok());
  EXPECT_EQ(next_due(), feb(1, 11));
  EXPECT_EQ(claim(feb(1, 13), 10), (std::vector{id_of(3)}));
  EXPECT_EQ(next_due(), std::nullopt);
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                outbox().async_hold_series({}, std::move(done));
              }).ok());
  EXPECT_EQ(next_due(), feb(1, 10));
  EXPECT_EQ(claim(feb(1, 13), 10), (std::vector{id_of(1), id_of(2)}));
}

// --- Results ------------------------------------------------------------------------

TEST_P(OutboxContract, ResultsMoveTheStateAndGoIntoTheHistory) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10)),
        planned(4, feb(1, 10)), planned(5, feb(1, 11))});
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 4u);
  ASSERT_TRUE(
      record({{id_of(1), {feb(1, 10, 1), AttemptResult::sent(250, "2.0.0 Ok: queued")}, {}},
              {id_of(2), {feb(1, 10, 1), AttemptResult::retry(451, "busy")}, feb(1, 10, 30)},
              {id_of(3), {feb(1, 10, 1), AttemptResult::permanent(550, "550 5.1.1 No such user")},
               {}},
              {id_of(4), {feb(1, 10, 1), AttemptResult::retry("connection refused")}, {}}})
          .ok());
  NotificationRow sent = row(1);
  EXPECT_EQ(sent.state, NotificationState::sent);
  EXPECT_EQ(sent.sent_at, feb(1, 10, 1));
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_EQ(sent.last_result, "sent 250 2.0.0 Ok: queued");
  EXPECT_EQ(store_->attempts(id_of(1)),
            (std::vector<Attempt>{{feb(1, 10, 1), AttemptResult::sent(250, "2.0.0 Ok: queued")}}));
  NotificationRow retrying = row(2);
  EXPECT_EQ(retrying.state, NotificationState::retrying);
  EXPECT_EQ(retrying.next_attempt_at, feb(1, 10, 30));
  EXPECT_EQ(retrying.last_result, "retry 451 busy");
  EXPECT_EQ(row(3).state, NotificationState::failed);
  EXPECT_EQ(row(3).last_result, "permanent 550 5.1.1 No such user");
  EXPECT_EQ(row(4).state, NotificationState::failed);  // attempts used up

  // The retry waits for its next attempt, then goes by its due.
  EXPECT_EQ(next_due(), feb(1, 10, 30));
  EXPECT_TRUE(claim(feb(1, 10, 29), 10).empty());
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(2), id_of(5)}));
  ASSERT_TRUE(record({{id_of(2), {feb(1, 11), AttemptResult::sent(250, "ok")}, {}}}).ok());
  EXPECT_EQ(row(2).attempts, 2);
  EXPECT_EQ(row(2).next_attempt_at, std::nullopt);
  EXPECT_EQ(row(2).state, NotificationState::sent);
  EXPECT_EQ(store_->attempts(id_of(2)).size(), 2u);
}

TEST_P(OutboxContract, ABatchWithAnUnknownIdOrAContradictionRecordsNothing) {
  plan({planned(1, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 1u);
  Status unknown = record({{id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}},
                           {id_of(9), {feb(1, 10), AttemptResult::sent(250, "ok")}, {}}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_NE(unknown.error().message.find(id_of(9)), std::string::npos) << unknown.error().message;
  Status contradiction = record({{id_of(1), {feb(1, 10), AttemptResult::sent(250, "ok")}, feb(1, 11)}});
  ASSERT_FALSE(contradiction.ok());
  EXPECT_EQ(contradiction.error().code, ErrorCode::invalid);
  EXPECT_EQ(state(1), NotificationState::sending);
  EXPECT_TRUE(store_->attempts(id_of(1)).empty());
}

TEST_P(OutboxContract, AResultForARowNoLongerSendingGoesIntoItsHistoryOnly) {
  plan({planned(1, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 1u);
  Result<std::size_t> missed = await<std::size_t>(io_, [&](auto done) {
    outbox().async_mark_missed({id_of(1)}, feb(1, 10), AsyncOutbox::MissScope::unsent,
                               std::move(done));
  });
  ASSERT_EQ(missed.value(), 1u);
  ASSERT_TRUE(record({{id_of(1), {feb(1, 10, 1), AttemptResult::sent(250, "ok")}, {}}}).ok());
  EXPECT_EQ(state(1), NotificationState::missed);
  EXPECT_EQ(row(1).attempts, 1);
  EXPECT_EQ(row(1).sent_at, std::nullopt);
  EXPECT_EQ(store_->attempts(id_of(1)).size(), 1u);
}

TEST_P(OutboxContract, MissingKeepsToItsScope) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 1).size(), 1u);
  ASSERT_TRUE(record({{id_of(1), {feb(1, 10), AttemptResult::retry(451, "busy")}, feb(1, 11)}}).ok());
  ASSERT_EQ(claim(feb(1, 10), 1), (std::vector{id_of(2)}));
  auto mark = [&](std::vector<std::string> ids, AsyncOutbox::MissScope scope) {
    return await<std::size_t>(io_, [&](auto done) {
             outbox().async_mark_missed(ids, feb(1, 12), scope, std::move(done));
           }).value();
  };
  EXPECT_EQ(mark({id_of(1), id_of(2), id_of(3), id_of(9)}, AsyncOutbox::MissScope::untried), 1u);
  EXPECT_EQ(state(1), NotificationState::retrying);
  EXPECT_EQ(state(2), NotificationState::sending);
  EXPECT_EQ(state(3), NotificationState::missed);
  EXPECT_EQ(mark({id_of(1), id_of(2), id_of(3)}, AsyncOutbox::MissScope::unsent), 2u);
  EXPECT_EQ(state(1), NotificationState::missed);
  EXPECT_EQ(row(1).next_attempt_at, std::nullopt);
  EXPECT_EQ(state(2), NotificationState::missed);
}

TEST_P(OutboxContract, RetryStartsAFreshRoundForFailedOrMissedOnly) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 1).size(), 1u);
  ASSERT_TRUE(record({{id_of(1), {feb(1, 10), AttemptResult::permanent(550, "no")}, {}}}).ok());
  auto retry = [&](unsigned long long n) {
    return await<void>(io_, [&](auto done) { outbox().async_retry(id_of(n), feb(1, 11), std::move(done)); });
  };
  ASSERT_TRUE(retry(1).ok());
  NotificationRow again = row(1);
  EXPECT_EQ(again.state, NotificationState::pending);
  EXPECT_EQ(again.attempts, 0);
  EXPECT_EQ(again.updated_at, feb(1, 11));
  Status pending = retry(2);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().code, ErrorCode::conflict);
  EXPECT_NE(pending.error().message.find("pending"), std::string::npos);
  Status unknown = retry(9);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(OutboxContract, RecoveryHandsInterruptedRowsOutAgainAndTakeOverLeavesLiveClaims) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  ASSERT_EQ(claim(feb(1, 10), 1).size(), 1u);
  ASSERT_TRUE(record({{id_of(1), {feb(1, 10), AttemptResult::retry(451, "busy")}, feb(1, 10)}}).ok());
  ASSERT_EQ(claim(feb(1, 10), 10).size(), 2u);

  // While this node serves, its claims are live: nobody takes them over.
  Result<std::size_t> taken = await<std::size_t>(
      io_, [&](auto done) { outbox().async_take_over(feb(1, 11), std::move(done)); });
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(*taken, 0u);
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                outbox().async_renew_leases({id_of(1), id_of(2)}, std::move(done));
              }).ok());
  EXPECT_EQ(state(1), NotificationState::sending);

  // Started again: what it left `sending` is to be sent again.
  Result<std::size_t> recovered = await<std::size_t>(
      io_, [&](auto done) { outbox().async_recover_interrupted(feb(1, 11), std::move(done)); });
  ASSERT_EQ(recovered.value(), 2u);
  EXPECT_EQ(state(1), NotificationState::retrying);
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 11));
  EXPECT_EQ(state(2), NotificationState::pending);
  EXPECT_EQ(claim(feb(1, 11), 10), (std::vector{id_of(1), id_of(2)}));
}

// --- Versions -------------------------------------------------------------------------

TEST_P(OutboxContract, VersionsAreStoredAndReadBack) {
  const SeriesVersion series{"s", "hash-1", feb(1, 8), false, "line 1: bad\nline 2: worse"};
  ASSERT_TRUE(await<void>(io_, [&](auto done) { outbox().async_put_series_version(series, std::move(done)); }).ok());
  const SeriesVersion other{"other", "hash-2", feb(1, 9), true, ""};
  ASSERT_TRUE(await<void>(io_, [&](auto done) { outbox().async_put_series_version(other, std::move(done)); }).ok());
  EXPECT_EQ(await<std::optional<SeriesVersion>>(io_, [&](auto done) {
              outbox().async_series_version("s", std::move(done));
            }).value(),
            series);
  EXPECT_EQ(await<std::optional<SeriesVersion>>(io_, [&](auto done) {
              outbox().async_series_version("none", std::move(done));
            }).value(),
            std::nullopt);
  EXPECT_EQ(await<std::vector<SeriesVersion>>(io_, [&](auto done) {
              outbox().async_series_versions(std::move(done));
            }).value(),
            (std::vector{other, series}));

  SessionVersion moved{"s", "s2", feb(3, 18), feb(3, 19), 2, false, feb(2, 18), feb(2, 19),
                       "Kokous", std::nullopt, feb(1, 9)};
  SessionVersion plain{"s", "s1", feb(2, 18), feb(2, 19), 0, true, {}, {}, "", feb(1, 10), {}};
  for (const SessionVersion& version : {moved, plain}) {
    ASSERT_TRUE(await<void>(io_, [&](auto done) {
                  outbox().async_put_session_version(version, std::move(done));
                }).ok());
  }
  moved.sequence = 3;  // an upsert
  ASSERT_TRUE(await<void>(io_, [&](auto done) { outbox().async_put_session_version(moved, std::move(done)); }).ok());
  EXPECT_EQ(await<std::optional<SessionVersion>>(io_, [&](auto done) {
              outbox().async_session_version("s", "s2", std::move(done));
            }).value(),
            moved);
  EXPECT_EQ(await<std::vector<SessionVersion>>(io_, [&](auto done) {
              outbox().async_session_versions("s", std::move(done));
            }).value(),
            (std::vector{plain, moved}));
}

TEST_P(OutboxContract, AnInvitationCountsAsSentOnceItIsBeingSent) {
  auto sent = [&] {
    return await<bool>(io_, [&](auto done) { outbox().async_invitation_sent("s", std::move(done)); })
        .value();
  };
  plan({planned(1, feb(1, 10), std::nullopt), planned(2, feb(1, 9))});
  EXPECT_FALSE(sent());
  ASSERT_EQ(claim(feb(1, 9), 10), (std::vector{id_of(2)}));  // a reminder: not yet
  EXPECT_FALSE(sent());
  ASSERT_EQ(claim(feb(1, 10), 10), (std::vector{id_of(1)}));
  EXPECT_TRUE(sent());
}

INSTANTIATE_TEST_SUITE_P(Stores, OutboxContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kutsu::store
