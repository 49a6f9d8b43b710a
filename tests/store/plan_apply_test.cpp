// apply_plan: a reload is a diff — insert the new, supersede the gone, keep
// what was sent, move what moved; all or nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using testing::feb;
using testing::id_of;
using testing::OutboxTest;
using testing::planned;

class PlanApply : public OutboxTest {};

TEST_F(PlanApply, InsertsNewRowsAsPendingWithEveryField) {
  PlannedNotification invitation{id_of(7),  std::nullopt, "invitation", std::nullopt,
                                 "webhook", "tiimi",      feb(1, 16),   Instant{}};
  PlanDiff diff = plan({planned(1, feb(2, 17)), invitation}, feb(1, 9));
  EXPECT_EQ(diff.inserted, 2u);
  EXPECT_EQ(diff.unchanged + diff.rescheduled + diff.revived + diff.kept, 0u);
  EXPECT_TRUE(diff.superseded.empty());

  NotificationRow reminder = row(1);
  EXPECT_EQ(reminder.id, id_of(1));
  EXPECT_EQ(reminder.series_id, "s");
  EXPECT_EQ(reminder.session_id, "s1");
  EXPECT_EQ(reminder.kind, "reminder");
  EXPECT_EQ(reminder.offset, "PT1H");
  EXPECT_EQ(reminder.channel, "email");
  EXPECT_EQ(reminder.recipient, "matti1@example.org");
  EXPECT_EQ(reminder.due, feb(2, 17));
  EXPECT_EQ(reminder.session_start, feb(2, 18));
  EXPECT_EQ(reminder.state, NotificationState::pending);
  EXPECT_EQ(reminder.attempts, 0);
  EXPECT_EQ(reminder.next_attempt_at, std::nullopt);
  EXPECT_EQ(reminder.last_result, std::nullopt);
  EXPECT_EQ(reminder.created_at, feb(1, 9));
  EXPECT_EQ(reminder.updated_at, feb(1, 9));
  EXPECT_EQ(reminder.sent_at, std::nullopt);

  NotificationRow stored_invitation = row(7);
  EXPECT_EQ(stored_invitation.session_id, std::nullopt);
  EXPECT_EQ(stored_invitation.offset, std::nullopt);
  EXPECT_EQ(stored_invitation.session_start, Instant{});
}

TEST_F(PlanApply, ReapplyingTheSamePlanChangesNothing) {
  std::vector rows{planned(1, feb(2, 17)), planned(2, feb(2, 16))};
  plan(rows, feb(1, 9));
  PlanDiff again = plan(rows, feb(1, 10));
  EXPECT_EQ(again.inserted, 0u);
  EXPECT_EQ(again.unchanged, 2u);
  EXPECT_TRUE(again.superseded.empty());
  EXPECT_EQ(row(1).updated_at, feb(1, 9));  // not even touched
}

TEST_F(PlanApply, MovesTheDueOfAPendingRowWithTheSameId) {
  plan({planned(1, feb(1, 16))}, feb(1, 9));
  PlanDiff diff = plan({planned(1, feb(1, 17))}, feb(1, 10));
  EXPECT_EQ(diff.rescheduled, 1u);
  EXPECT_EQ(row(1).due, feb(1, 17));
  EXPECT_EQ(row(1).updated_at, feb(1, 10));
  EXPECT_EQ(row(1).created_at, feb(1, 9));
  EXPECT_EQ(outbox().next_due().value(), feb(1, 17));
}

TEST_F(PlanApply, SupersedesPendingRowsThatAreNoLongerWantedAndReturnsThem) {
  plan({planned(1, feb(2, 17)), planned(2, feb(2, 16)), planned(3, feb(2, 15))});
  PlanDiff diff = plan({planned(2, feb(2, 16))}, feb(1, 12));
  EXPECT_EQ(diff.unchanged, 1u);
  ASSERT_EQ(diff.superseded.size(), 2u);
  // In due order, as they are now.
  EXPECT_EQ(diff.superseded[0].id, id_of(3));
  EXPECT_EQ(diff.superseded[1].id, id_of(1));
  EXPECT_EQ(diff.superseded[1].recipient, "matti1@example.org");
  EXPECT_EQ(diff.superseded[1].state, NotificationState::superseded);
  EXPECT_EQ(diff.superseded[1].updated_at, feb(1, 12));
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(2).state, NotificationState::pending);
  EXPECT_EQ(outbox().next_due().value(), feb(2, 16));
}

TEST_F(PlanApply, AnEmptyPlanSupersedesTheWholeSeriesButNoOtherSeries) {
  plan({planned(1, feb(2, 17))});
  std::vector other{planned(9, feb(2, 17))};
  ASSERT_TRUE(outbox().apply_plan("other", other, feb(1)).ok());
  PlanDiff diff = plan({});
  ASSERT_EQ(diff.superseded.size(), 1u);
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(9).state, NotificationState::pending);
}

TEST_F(PlanApply, KeepsSentFailedAndMissedRowsWhetherWantedOrNot) {
  plan(
      {planned(1, feb(1, 1)), planned(2, feb(1, 1)), planned(3, feb(1, 1)), planned(4, feb(1, 1))});
  ASSERT_EQ(outbox().claim_due(feb(1, 2), 10)->size(), 4u);
  std::vector<RecordedAttempt> results{
      {id_of(1), {feb(1, 2), AttemptResult::sent(250, "ok")}, std::nullopt},
      {id_of(2), {feb(1, 2), AttemptResult::permanent(550, "no such user")}, std::nullopt}};
  ASSERT_TRUE(outbox().record_results(results).ok());
  std::vector<std::string> missed{id_of(3)};
  ASSERT_EQ(outbox().mark_missed(missed, feb(1, 2)).value(), 1u);
  // 4 stays `sending`: it is being delivered right now.

  // Wanted again, with another due: kept as they are.
  PlanDiff wanted =
      plan({planned(1, feb(3)), planned(2, feb(3)), planned(3, feb(3)), planned(4, feb(3))});
  EXPECT_EQ(wanted.kept, 4u);
  EXPECT_EQ(row(1).due, feb(1, 1));
  // Not wanted: still kept, nothing superseded.
  PlanDiff gone = plan({});
  EXPECT_TRUE(gone.superseded.empty());
  EXPECT_EQ(row(1).state, NotificationState::sent);
  EXPECT_EQ(row(2).state, NotificationState::failed);
  EXPECT_EQ(row(3).state, NotificationState::missed);
  EXPECT_EQ(row(4).state, NotificationState::sending);
}

TEST_F(PlanApply, SupersedesAndReschedulesRetryingRows) {
  plan({planned(1, feb(1, 1)), planned(2, feb(1, 1))});
  ASSERT_EQ(outbox().claim_due(feb(1, 2), 10)->size(), 2u);
  std::vector<RecordedAttempt> results{
      {id_of(1), {feb(1, 2), AttemptResult::retry(451, "busy")}, feb(1, 3)},
      {id_of(2), {feb(1, 2), AttemptResult::retry(451, "busy")}, feb(1, 3)}};
  ASSERT_TRUE(outbox().record_results(results).ok());

  PlanDiff diff = plan({planned(1, feb(1, 4))});
  EXPECT_EQ(diff.rescheduled, 1u);
  ASSERT_EQ(diff.superseded.size(), 1u);
  EXPECT_EQ(diff.superseded[0].id, id_of(2));
  EXPECT_EQ(diff.superseded[0].next_attempt_at, std::nullopt);
  EXPECT_EQ(row(1).state, NotificationState::retrying);
  EXPECT_EQ(row(1).due, feb(1, 4));
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 3));  // the retry keeps its own clock
}

TEST_F(PlanApply, RevivesASupersededRowThatIsWantedAgain) {
  plan({planned(1, feb(2, 17))}, feb(1, 9));
  plan({}, feb(1, 10));
  ASSERT_EQ(row(1).state, NotificationState::superseded);
  PlanDiff diff = plan({planned(1, feb(2, 16))}, feb(1, 11));
  EXPECT_EQ(diff.revived, 1u);
  EXPECT_EQ(row(1).state, NotificationState::pending);
  EXPECT_EQ(row(1).due, feb(2, 16));
  EXPECT_EQ(row(1).updated_at, feb(1, 11));
}

TEST_F(PlanApply, NamesThePendingRowsItMadeOverdue) {
  // Stored at 08:00: 1 and 2 ahead, 3 to be superseded, 4 retrying.
  plan({planned(1, feb(1, 12)), planned(2, feb(1, 12)), planned(3, feb(1, 12)),
        planned(4, feb(1, 7))},
       feb(1, 8));
  ASSERT_EQ(outbox().claim_due(feb(1, 8), 1)->size(), 1u);  // 4
  std::vector<RecordedAttempt> busy{
      {id_of(4), {feb(1, 8), AttemptResult::retry(451, "busy")}, feb(1, 9)}};
  ASSERT_TRUE(outbox().record_results(busy).ok());
  plan({planned(1, feb(1, 12)), planned(2, feb(1, 12)), planned(4, feb(1, 7))}, feb(1, 8));

  // At 10:00: 5 is new and already due, 1 moved into the past, 2 stays
  // ahead, 3 is wanted again for 09:00, 4 is retrying (the backoff's business).
  PlanDiff diff = plan({planned(1, feb(1, 9)), planned(2, feb(1, 12)), planned(3, feb(1, 9)),
                        planned(4, feb(1, 6)), planned(5, feb(1, 9, 30))},
                       feb(1, 10));
  EXPECT_EQ(diff.inserted, 1u);
  EXPECT_EQ(diff.rescheduled, 2u);
  EXPECT_EQ(diff.revived, 1u);
  std::vector<std::string> overdue = diff.overdue;
  std::sort(overdue.begin(), overdue.end());
  EXPECT_EQ(overdue, (std::vector{id_of(1), id_of(3), id_of(5)}));
}

TEST_F(PlanApply, AnIdPlannedTwiceFailsAndChangesNothing) {
  plan({planned(1, feb(2, 17))});
  Result<PlanDiff> diff = outbox().apply_plan(
      "s", std::vector{planned(2, feb(2, 1)), planned(3, feb(2, 2)), planned(3, feb(2, 2))},
      feb(1));
  ASSERT_FALSE(diff.ok());
  EXPECT_EQ(diff.error().message, "notification " + id_of(3) + " is planned twice");
  EXPECT_EQ(diff.error().code, ErrorCode::invalid);
  EXPECT_EQ(outbox().state_counts()->total(), 1);
  EXPECT_EQ(row(1).state, NotificationState::pending);  // not superseded either
}

TEST_F(PlanApply, AnIdOfAnotherSeriesFailsAndChangesNothing) {
  ASSERT_TRUE(outbox().apply_plan("other", std::vector{planned(3, feb(2, 17))}, feb(1)).ok());
  // Rows go in id order: 2 is inserted before 3 conflicts, and is rolled back.
  Result<PlanDiff> diff =
      outbox().apply_plan("s", std::vector{planned(3, feb(2, 2)), planned(2, feb(2, 1))}, feb(1));
  ASSERT_FALSE(diff.ok());
  EXPECT_EQ(diff.error().message, "notification " + id_of(3) + " already belongs to series other");
  EXPECT_EQ(diff.error().code, ErrorCode::conflict);
  EXPECT_EQ(outbox().state_counts()->total(), 1);
  EXPECT_EQ(outbox().find(id_of(2)).value(), std::nullopt);
}

TEST_F(PlanApply, AnIdThatIsNotThirtyTwoHexDigitsIsRefused) {
  PlannedNotification bad = planned(1, feb(2, 17));
  bad.id = "ABCDEF";
  Result<PlanDiff> diff = outbox().apply_plan("s", std::vector{bad}, feb(1));
  ASSERT_FALSE(diff.ok());
  EXPECT_EQ(diff.error().message, "notification id 'ABCDEF' is not 32 lowercase hex digits");
  EXPECT_EQ(diff.error().code, ErrorCode::invalid);
}

// A PlannedRows over ready rows that counts the whole rows it is asked for
// and tells when it builds the first.
class CountingRows final : public PlannedRows {
 public:
  explicit CountingRows(std::vector<PlannedNotification> rows) : rows_(std::move(rows)) {}

  std::size_t size() const override { return rows_.size(); }
  IdDigits id(std::size_t index) const override {
    IdDigits digits{};
    std::copy_n(rows_[index].id.begin(), std::min(rows_[index].id.size(), digits.size()),
                digits.begin());
    return digits;
  }
  Instant due(std::size_t index) const override { return rows_[index].due; }
  std::string_view kind(std::size_t index) const override { return rows_[index].kind; }
  std::string_view channel(std::size_t index) const override { return rows_[index].channel; }
  std::string_view recipient(std::size_t index) const override { return rows_[index].recipient; }
  PlannedNotification row(std::size_t index) const override {
    // The first whole row: by then apply_plan's transaction (BEGIN
    // IMMEDIATE) holds the write lock.
    if (built++ == 0) writing.set_value();
    return rows_[index];
  }

  mutable int built = 0;
  mutable std::promise<void> writing;

 private:
  std::vector<PlannedNotification> rows_;
};

TEST_F(PlanApply, BuildsWholeRowsOnlyForTheIdsItInserts) {
  CountingRows first({planned(1, feb(2, 17)), planned(2, feb(2, 16))});
  ASSERT_TRUE(outbox().apply_plan("s", first, feb(1)).ok());
  EXPECT_EQ(first.built, 2);

  // One new, one moved, one unchanged: only the new one is built.
  CountingRows second({planned(1, feb(2, 17)), planned(2, feb(2, 15)), planned(3, feb(2, 18))});
  Result<PlanDiff> diff = outbox().apply_plan("s", second, feb(1, 1));
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(second.built, 1);
  EXPECT_EQ(diff->inserted, 1u);
  EXPECT_EQ(diff->rescheduled, 1u);
  EXPECT_EQ(diff->unchanged, 1u);
  EXPECT_EQ(row(2).due, feb(2, 15));
  EXPECT_EQ(row(3).recipient, planned(3, feb(2, 18)).recipient);
}

TEST_F(PlanApply, AnIdFromPlannedRowsThatIsNotHexIsRefused) {
  PlannedNotification bad = planned(1, feb(2, 17));
  bad.id = std::string(31, 'a') + "G";
  CountingRows rows({planned(2, feb(2, 17)), bad});
  Result<PlanDiff> diff = outbox().apply_plan("s", rows, feb(1));
  ASSERT_FALSE(diff.ok());
  EXPECT_EQ(diff.error().message,
            "notification id '" + bad.id + "' is not 32 lowercase hex digits");
  EXPECT_EQ(diff.error().code, ErrorCode::invalid);
  EXPECT_EQ(outbox().state_counts()->total(), 0);
}

// The reload's connection yields to the event loop's: a claim that meets a
// reload writing in long transactions waits for a row, not for the rest.
TEST_F(PlanApply, AChunkedApplyCommitsEarlyWhenTheConnectionItYieldsToWaits) {
  ASSERT_TRUE(outbox().apply_plan("muu", std::vector{planned(900'000, feb(1))}, feb(1)).ok());
  Result<Outbox> reload = Outbox::open(file());
  ASSERT_TRUE(reload.ok()) << reload.error().message;
  reload->yield_to(outbox());
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 60'000; ++n) rows.push_back(planned(n, feb(2, 10)));
  CountingRows wanted(std::move(rows));
  std::future<void> writing = wanted.writing.get_future();

  std::atomic<bool> applied{false};
  Result<PlanDiff> diff = PlanDiff{};
  std::thread worker([&] {
    // One transaction for the whole plan, but for the yield.
    diff = reload->apply_plan("s", wanted, feb(1), ApplyOptions{.rows_per_transaction = 1'000'000});
    applied = true;
  });
  writing.wait();
  Result<std::vector<NotificationRow>> claimed = outbox().claim_due(feb(1, 1), 1);
  const bool applying_when_claimed = !applied;
  worker.join();
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, id_of(900'000));
  EXPECT_TRUE(applying_when_claimed) << "the claim waited for the whole plan";
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_EQ(diff->inserted, 60'000u);
}

}  // namespace
}  // namespace kutsu::store
