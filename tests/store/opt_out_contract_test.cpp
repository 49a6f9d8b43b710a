// Opt-outs behind AsyncOutbox, the same assertions against both stores
// (SQLite through LocalOutbox, PostgreSQL through PgOutbox): what an
// opt-out stops at once, what every later plan leaves out, that a wider
// wish stays, and that the key signing the links is made once per outbox.
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

std::vector<PlannedNotification> plan_of_four() {
  return {row_for(1, "Maija@Example.org"), row_for(2, "maija@example.org", "update"),
          row_for(3, "pekka@example.org"), row_for(4, "maija@example.org", "reminder", "webhook")};
}

class OptOutContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::make_store(GetParam(), io_);
    outbox().set_loaded_versions({{"s", "v1"}});
  }

  AsyncOutbox& outbox() { return store_->outbox(); }

  Result<PlanDiff> apply(std::vector<PlannedNotification> rows, Instant now = feb(1)) {
    RowsOf wanted(std::move(rows));
    return await<PlanDiff>(io_, [&](auto done) {
      outbox().async_apply_plan("s", "v1", wanted, now, {}, std::move(done));
    });
  }
  PlanDiff plan(std::vector<PlannedNotification> rows, Instant now = feb(1)) {
    Result<PlanDiff> diff = apply(std::move(rows), now);
    EXPECT_TRUE(diff.ok()) << diff.error().message;
    return diff.ok() ? std::move(diff).value() : PlanDiff{};
  }
  Result<std::size_t> opt_out(std::string series, std::string who, OptOutScope scope,
                              Instant at = feb(1, 12)) {
    return await<std::size_t>(io_, [&](auto done) {
      outbox().async_opt_out(OptOut{series, who, scope, at}, std::move(done));
    });
  }
  std::vector<OptOut> opt_outs(std::optional<std::string> series = std::nullopt) {
    Result<std::vector<OptOut>> all = await<std::vector<OptOut>>(
        io_, [&](auto done) { outbox().async_opt_outs(series, std::move(done)); });
    EXPECT_TRUE(all.ok()) << all.error().message;
    return all.ok() ? *all : std::vector<OptOut>{};
  }
  Result<std::string> key(AsyncOutbox& of) {
    return await<std::string>(io_, [&](auto done) { of.async_opt_out_key(std::move(done)); });
  }
  NotificationRow row(unsigned long long n) {
    std::optional<NotificationRow> found = store_->row(id_of(n));
    if (!found) {
      ADD_FAILURE() << "no notification " << n;
      return {};
    }
    return *found;
  }

  boost::asio::io_context io_;
  std::unique_ptr<testing::StoreUnderTest> store_;
};

TEST_P(OptOutContract, StopsThePendingRemindersOfThatAddressAtOnceWhateverItsCase) {
  plan(plan_of_four());
  Result<std::size_t> stopped = opt_out("s", "MAIJA@example.org", OptOutScope::reminders);
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_EQ(*stopped, 1u);
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(1).last_result, "opted out");
  EXPECT_EQ(row(1).updated_at, feb(1, 12));
  EXPECT_EQ(row(2).state, NotificationState::pending);  // an update still goes
  EXPECT_EQ(row(3).state, NotificationState::pending);  // someone else
  EXPECT_EQ(row(4).state, NotificationState::pending);  // a webhook is not her mailbox
}

TEST_P(OptOutContract, AllStopsUpdatesToo) {
  plan(plan_of_four());
  Result<std::size_t> stopped = opt_out("s", "maija@example.org", OptOutScope::all);
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_EQ(*stopped, 2u);
  EXPECT_EQ(row(2).state, NotificationState::superseded);
  EXPECT_EQ(row(3).state, NotificationState::pending);
}

TEST_P(OptOutContract, LaterPlansLeaveTheRowsOutAndReviveNothing) {
  plan(plan_of_four());
  ASSERT_TRUE(opt_out("s", "maija@example.org", OptOutScope::reminders).ok());

  // The same plan again, with a new reminder for her and a moved one.
  std::vector<PlannedNotification> again = plan_of_four();
  again.push_back(row_for(5, "maija@EXAMPLE.org"));
  again[0].due = feb(2, 16);
  PlanDiff diff = plan(again, feb(1, 13));
  EXPECT_EQ(diff.opted_out, 2u);
  EXPECT_EQ(diff.revived, 0u);
  EXPECT_EQ(diff.inserted, 0u);
  EXPECT_EQ(diff.unchanged, 3u);
  EXPECT_EQ(diff.kept, 0u);
  EXPECT_TRUE(diff.superseded.empty());  // already superseded by the opt-out
  EXPECT_EQ(row(1).state, NotificationState::superseded);
  EXPECT_EQ(row(1).due, feb(2, 17));
  EXPECT_FALSE(store_->row(id_of(5)).has_value());
  EXPECT_EQ(row(2).state, NotificationState::pending);
}

TEST_P(OptOutContract, APlanSupersedesARowThatCameBackToRetryingAfterTheOptOut) {
  // The opt-out came while the reminder was being sent (it stopped
  // nothing); the send failed for now, so the row is retrying again.
  plan({row_for(1, "maija@example.org")});
  Result<std::vector<NotificationRow>> claimed = await<std::vector<NotificationRow>>(
      io_, [&](auto done) { outbox().async_claim_due(feb(3), 10, std::move(done)); });
  ASSERT_TRUE(claimed.ok() && claimed->size() == 1u);
  EXPECT_EQ(opt_out("s", "maija@example.org", OptOutScope::reminders).value(), 0u);
  std::vector<RecordedAttempt> retry{
      {id_of(1), {feb(3), AttemptResult::retry(451, "try later")}, feb(3, 1)}};
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                outbox().async_record_results(retry, std::move(done));
              }).ok());
  ASSERT_EQ(row(1).state, NotificationState::retrying);

  PlanDiff diff = plan({row_for(1, "maija@example.org")}, feb(3, 1));
  EXPECT_EQ(diff.opted_out, 1u);
  ASSERT_EQ(diff.superseded.size(), 1u);
  EXPECT_EQ(diff.superseded[0].id, id_of(1));
  EXPECT_EQ(row(1).state, NotificationState::superseded);
}

TEST_P(OptOutContract, AnIdPlannedTwiceIsRefusedEvenWhenItsRecipientOptedOut) {
  ASSERT_TRUE(opt_out("s", "maija@example.org", OptOutScope::all).ok());
  Result<PlanDiff> twice = apply({row_for(1, "maija@example.org"), row_for(1, "maija@example.org")});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::invalid);
}

TEST_P(OptOutContract, ManyRowsOfAnAddressThatLeftAreNeverInserted) {
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 1500; ++n) {
    rows.push_back(row_for(n, n % 2 ? "maija@example.org" : "pekka@example.org"));
  }
  ASSERT_TRUE(opt_out("s", "maija@example.org", OptOutScope::reminders).ok());
  PlanDiff diff = plan(rows);
  EXPECT_EQ(diff.opted_out, 750u);
  EXPECT_EQ(diff.inserted, 750u);
  EXPECT_FALSE(store_->row(id_of(1)).has_value());
  EXPECT_TRUE(store_->row(id_of(2)).has_value());
}

TEST_P(OptOutContract, AWiderWishStaysAndEachSeriesIsItsOwn) {
  ASSERT_TRUE(opt_out("s", "maija@example.org", OptOutScope::all, feb(1)).ok());
  ASSERT_TRUE(opt_out("s", "Maija@example.org", OptOutScope::reminders, feb(2)).ok());
  ASSERT_TRUE(opt_out("t", "maija@example.org", OptOutScope::reminders, feb(3)).ok());
  EXPECT_EQ(opt_outs(), (std::vector<OptOut>{{"s", "maija@example.org", OptOutScope::all, feb(1)},
                                            {"t", "maija@example.org", OptOutScope::reminders,
                                             feb(3)}}));
  EXPECT_EQ(opt_outs("t").size(), 1u);

  // A narrower wish widened later: `all` replaces it and stops updates too.
  plan({row_for(3, "pekka@example.org"), row_for(6, "pekka@example.org", "update")});
  EXPECT_EQ(opt_out("s", "pekka@example.org", OptOutScope::reminders, feb(1, 13)).value(), 1u);
  EXPECT_EQ(row(6).state, NotificationState::pending);
  EXPECT_EQ(opt_out("s", "pekka@example.org", OptOutScope::all, feb(1, 14)).value(), 1u);
  EXPECT_EQ(row(6).state, NotificationState::superseded);
  EXPECT_EQ(opt_outs("s").back(), (OptOut{"s", "pekka@example.org", OptOutScope::all, feb(1, 14)}));
}

TEST_P(OptOutContract, AnOptOutNeedsASeriesAndAnAddress) {
  Result<std::size_t> refused = opt_out("s", "", OptOutScope::all);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_TRUE(opt_outs().empty());
}

TEST_P(OptOutContract, TheKeyIsMadeOnceAndSharedByEveryConnection) {
  Result<std::string> first = key(outbox());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(first->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key(outbox()).value(), *first);
  EXPECT_EQ(key(store_->another()).value(), *first);
}

INSTANTIATE_TEST_SUITE_P(Stores, OptOutContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kutsu::store
