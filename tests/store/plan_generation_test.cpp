// Plan generations: a reload writes its plan while the previous one is still
// being sent from, and its rows wait until the daemon puts that plan in
// force. Short transactions let the other connection claim in between.
#include <gtest/gtest.h>

#include <thread>

#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using namespace testing;

class PlanGenerationTest : public OutboxTest {};

std::vector<PlannedNotification> rows_due(unsigned long long first, unsigned long long count,
                                          Instant due) {
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = first; n < first + count; ++n) rows.push_back(planned(n, due));
  return rows;
}

std::vector<std::string> ids_of(const std::vector<NotificationRow>& rows) {
  std::vector<std::string> ids;
  for (const NotificationRow& row : rows) ids.push_back(row.id);
  return ids;
}

TEST_F(PlanGenerationTest, GenerationsGrowAndSurviveAReopen) {
  Result<PlanGeneration> first = outbox().next_plan_generation();
  ASSERT_TRUE(first.ok()) << first.error().message;
  Result<PlanGeneration> second = outbox().next_plan_generation();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first + 1);
  Result<Outbox> reopened = Outbox::open(file());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened->next_plan_generation(), *second + 1);
}

TEST_F(PlanGenerationTest, RowsOfALaterGenerationWaitUntilItIsInForce) {
  // Generation 1 in force: rows 1 and 2.
  ASSERT_TRUE(outbox().apply_plan("s", rows_due(1, 2, feb(2)), feb(1), {1, 0}).ok());
  outbox().set_generation_in_force(1);
  // A reload (generation 2) moves row 2, adds row 3, keeps row 1 as it was.
  std::vector<PlannedNotification> next = {planned(1, feb(2)), planned(2, feb(2, 1)),
                                           planned(3, feb(2))};
  Result<PlanDiff> diff = outbox().apply_plan("s", next, feb(1), {2, 0});
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_EQ(diff->inserted, 1u);
  EXPECT_EQ(diff->rescheduled, 1u);
  EXPECT_EQ(diff->unchanged, 1u);

  // Until the switch, only the untouched row can be claimed, and the timer
  // does not wait for the others.
  EXPECT_EQ(*outbox().next_due(), feb(2));
  Result<std::vector<NotificationRow>> claimed = outbox().claim_due(feb(3), 10);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(ids_of(*claimed), std::vector<std::string>{id_of(1)});

  outbox().set_generation_in_force(2);
  claimed = outbox().claim_due(feb(3), 10);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(ids_of(*claimed), (std::vector<std::string>{id_of(3), id_of(2)}));
}

TEST_F(PlanGenerationTest, ShortTransactionsGiveTheSameDiffAsOne) {
  ASSERT_TRUE(outbox().apply_plan("s", rows_due(1, 3000, feb(2)), feb(1)).ok());
  // Half stay, half go, 1,500 new, and every tenth of those staying moves.
  std::vector<PlannedNotification> next = rows_due(1501, 3000, feb(2));
  for (std::size_t i = 0; i < 1500; i += 10) next[i].due = feb(3);
  Result<PlanDiff> diff = outbox().apply_plan("s", next, feb(1), {7, 100});
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_EQ(diff->inserted, 1500u);
  EXPECT_EQ(diff->rescheduled, 150u);
  EXPECT_EQ(diff->unchanged, 1350u);
  EXPECT_EQ(diff->superseded.size(), 1500u);
  Result<StateCounts> counts = outbox().state_counts();
  EXPECT_EQ((*counts)[NotificationState::pending], 3000);
  EXPECT_EQ((*counts)[NotificationState::superseded], 1500);
  EXPECT_EQ(row(1501).due, feb(3));
}

// A reload's connection writes a large plan in short transactions while this
// one claims and records: neither fails on the other's lock, and every row
// the claims took stays as they left it.
TEST_F(PlanGenerationTest, ClaimsGoOnWhileAnotherConnectionWritesAPlan) {
  ASSERT_TRUE(outbox().apply_plan("due", rows_due(1'000'000, 200, feb(1)), feb(1)).ok());
  Result<PlanDiff> written = PlanDiff{};
  std::thread reload([&] {
    Result<Outbox> other = Outbox::open(file());
    ASSERT_TRUE(other.ok());
    written = other->apply_plan("big", rows_due(1, 20'000, feb(5)), feb(1), {2, 500});
  });
  std::size_t claimed = 0;
  while (claimed < 200) {
    Result<std::vector<NotificationRow>> rows = outbox().claim_due(feb(2), 8);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    std::vector<RecordedAttempt> results;
    for (const NotificationRow& row : *rows)
      results.push_back(
          RecordedAttempt{row.id, Attempt{feb(2), AttemptResult::sent(250, "ok")}, {}});
    ASSERT_TRUE(outbox().record_results(results).ok());
    claimed += rows->size();
  }
  reload.join();
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->inserted, 20'000u);
  Result<StateCounts> counts = outbox().state_counts();
  EXPECT_EQ((*counts)[NotificationState::sent], 200);
  EXPECT_EQ((*counts)[NotificationState::pending], 20'000);
  EXPECT_TRUE(outbox().health().ok());
}

}  // namespace
}  // namespace kutsu::store
