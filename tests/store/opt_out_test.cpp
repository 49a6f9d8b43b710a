// Outbox opt-outs: what one stops at once, what it keeps stopped through
// later plans, and the key that signs the links.
#include <gtest/gtest.h>

#include "store/outbox.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store::testing {
namespace {

// Row n for recipient `who` of the given kind and channel.
PlannedNotification row_for(unsigned long long n, std::string who, std::string kind = "reminder",
                            std::string channel = "email") {
  PlannedNotification row = planned(n, feb(2, 17));
  row.recipient = std::move(who);
  row.kind = std::move(kind);
  if (row.kind != "reminder") row.offset.reset();
  row.channel = std::move(channel);
  return row;
}

std::vector<PlannedNotification> plan_of_three() {
  return {row_for(1, "Maija@Example.org"), row_for(2, "maija@example.org", "update"),
          row_for(3, "pekka@example.org"), row_for(4, "maija@example.org", "reminder", "webhook")};
}

using OptOuts = OutboxTest;

TEST_F(OptOuts, StopsThePendingRemindersOfThatAddressOnlyWhateverItsCase) {
  plan(plan_of_three());
  Result<std::size_t> stopped =
      outbox().opt_out(OptOut{"s", "MAIJA@example.org", OptOutScope::reminders, feb(1, 12)});
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_EQ(*stopped, 1u);
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(1).last_result, "opted out");
  EXPECT_EQ(row(2).state, NotificationState::pending);  // an update still goes
  EXPECT_EQ(row(3).state, NotificationState::pending);  // someone else
  EXPECT_EQ(row(4).state, NotificationState::pending);  // a webhook is not her mailbox
}

TEST_F(OptOuts, AllStopsUpdatesAndCancellationsToo) {
  plan(plan_of_three());
  ASSERT_TRUE(outbox().opt_out(OptOut{"s", "maija@example.org", OptOutScope::all, feb(1)}).ok());
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(2).state, NotificationState::superseded);
  EXPECT_EQ(row(3).state, NotificationState::pending);
}

TEST_F(OptOuts, LaterPlansLeaveTheRowsOutAndDoNotReviveThem) {
  plan(plan_of_three());
  ASSERT_TRUE(outbox().opt_out(OptOut{"s", "maija@example.org", OptOutScope::reminders, feb(1)}).ok());

  // The same plan again, and one with a new reminder for her and a moved one.
  std::vector<PlannedNotification> again = plan_of_three();
  again.push_back(row_for(5, "maija@EXAMPLE.org"));
  again[0].due = feb(2, 16);
  PlanDiff diff = plan(again, feb(1, 1));
  EXPECT_EQ(diff.opted_out, 2u);
  EXPECT_EQ(diff.revived, 0u);
  EXPECT_EQ(diff.inserted, 0u);
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_FALSE(outbox().find(id_of(5))->has_value());
  EXPECT_EQ(row(2).state, NotificationState::pending);
}

TEST_F(OptOuts, AreHonouredInEveryTransactionOfAChunkedApply) {
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 40; ++n) rows.push_back(row_for(n, "maija@example.org"));
  ASSERT_TRUE(outbox().opt_out(OptOut{"s", "maija@example.org", OptOutScope::reminders, feb(1)}).ok());
  Result<PlanDiff> diff = outbox().apply_plan("s", rows, feb(1), ApplyOptions{0, 7});
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_EQ(diff->opted_out, 40u);
  EXPECT_EQ(diff->inserted, 0u);
}

TEST_F(OptOuts, AWiderWishStaysAndEachSeriesIsItsOwn) {
  ASSERT_TRUE(outbox().opt_out(OptOut{"s", "maija@example.org", OptOutScope::all, feb(1)}).ok());
  ASSERT_TRUE(outbox().opt_out(OptOut{"s", "Maija@example.org", OptOutScope::reminders, feb(2)}).ok());
  ASSERT_TRUE(outbox().opt_out(OptOut{"t", "maija@example.org", OptOutScope::reminders, feb(3)}).ok());
  Result<std::vector<OptOut>> all = outbox().opt_outs();
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(*all, (std::vector<OptOut>{{"s", "maija@example.org", OptOutScope::all, feb(1)},
                                       {"t", "maija@example.org", OptOutScope::reminders, feb(3)}}));
  Result<std::vector<OptOut>> of_t = outbox().opt_outs("t");
  ASSERT_TRUE(of_t.ok());
  EXPECT_EQ(of_t->size(), 1u);
}

TEST_F(OptOuts, SentRowsAreHistoryAndStaySent) {
  plan({row_for(1, "maija@example.org")}, feb(1));
  Result<std::vector<NotificationRow>> claimed = outbox().claim_due(feb(3), 10);
  ASSERT_TRUE(claimed.ok() && claimed->size() == 1u);
  ASSERT_TRUE(outbox()
                  .record_results(std::vector{RecordedAttempt{
                      id_of(1), Attempt{feb(3), AttemptResult::sent(250, "ok")}, std::nullopt}})
                  .ok());
  Result<std::size_t> stopped =
      outbox().opt_out(OptOut{"s", "maija@example.org", OptOutScope::all, feb(3, 1)});
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(*stopped, 0u);
  EXPECT_EQ(row(1).state, NotificationState::sent);
}

TEST_F(OptOuts, AnOptOutNeedsASeriesAndAnAddress) {
  Result<std::size_t> refused = outbox().opt_out(OptOut{"s", "", OptOutScope::all, feb(1)});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
}

TEST_F(OptOuts, TheKeyIsMadeOnceAndKeptAcrossConnections) {
  Result<std::string> first = outbox().opt_out_key();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(first->find_first_not_of("0123456789abcdef"), std::string::npos);
  Result<Outbox> other = Outbox::open(file());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->opt_out_key().value(), *first);
}

TEST_F(OptOuts, TwoOutboxesGetDifferentKeys) {
  TempDir elsewhere;
  Result<Outbox> other = Outbox::open(outbox_file(elsewhere.path()));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->opt_out_key().value(), outbox().opt_out_key().value());
}

}  // namespace
}  // namespace kutsu::store::testing
