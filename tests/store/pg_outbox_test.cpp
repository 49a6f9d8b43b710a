// What only several nodes on one PostgreSQL outbox can show: concurrent
// claims never share a row, a lease that runs out under a dead node is
// taken over while a renewed one is not, a node sends only the versions it
// has loaded, two nodes applying one plan at once store it once, and the
// heartbeat lists a node with its versions.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/store/async_outbox_support.h"

namespace kutsu::store::pg {
namespace {

using namespace std::chrono_literals;
using store::testing::await;
using store::testing::feb;
using store::testing::id_of;
using store::testing::PgDatabase;
using store::testing::planned;
using store::testing::RowsOf;
using Rows = std::vector<NotificationRow>;

class PgOutboxNodes : public ::testing::Test {
 protected:
  PlanDiff plan(PgOutbox& node, std::vector<PlannedNotification> rows, std::string version = "v1") {
    RowsOf wanted(std::move(rows));
    Result<PlanDiff> diff = await<PlanDiff>(io_, [&](auto done) {
      node.async_apply_plan("s", version, wanted, feb(1), {}, std::move(done));
    });
    EXPECT_TRUE(diff.ok()) << diff.error().message;
    return diff.ok() ? std::move(diff).value() : PlanDiff{};
  }
  std::vector<std::string> claim(PgOutbox& node, std::size_t limit = 100) {
    Result<Rows> rows = await<Rows>(
        io_, [&](auto done) { node.async_claim_due(feb(1, 12), limit, std::move(done)); });
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    std::vector<std::string> ids;
    for (std::size_t i = 0; rows.ok() && i < rows->size(); ++i) ids.push_back((*rows)[i].id);
    return ids;
  }
  std::size_t take_over(PgOutbox& node) {
    Result<std::size_t> taken =
        await<std::size_t>(io_, [&](auto done) { node.async_take_over(feb(1, 12), std::move(done)); });
    EXPECT_TRUE(taken.ok()) << taken.error().message;
    return taken.ok() ? *taken : 0;
  }
  // Lets the loop run for `time`: a lease is a span of the server's time,
  // so the tests about it must let time pass.
  void let_pass(std::chrono::milliseconds time) {
    boost::asio::steady_timer timer(io_, time);
    bool fired = false;
    timer.async_wait([&](auto) { fired = true; });
    ASSERT_TRUE(testing::run_until(io_, [&] { return fired; }));
  }
  std::string claimed_by(unsigned long long n) {
    Result<PgRows> rows = database_.query(
        "SELECT coalesce(claimed_by, '') FROM notifications WHERE id = $1", {id_of(n)});
    return rows.ok() && !rows->empty() ? *rows->at(0, 0) : "?";
  }

  boost::asio::io_context io_;
  PgDatabase database_{io_};
};

TEST_F(PgOutboxNodes, TwoNodesClaimingTogetherNeverShareARow) {
  PgOutbox& a = database_.add_node("node-a");
  PgOutbox& b = database_.add_node("node-b");
  a.set_loaded_versions({{"s", "v1"}});
  b.set_loaded_versions({{"s", "v1"}});
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 2000; ++n) rows.push_back(planned(n, feb(1, 10)));
  ASSERT_EQ(plan(a, rows).inserted, 2000u);

  // Both claim in batches of 64, each asking again as soon as its answer
  // is in, until both find nothing left: their statements overlap in the
  // server all the time.
  std::vector<std::string> got_a, got_b;
  bool a_done = false, b_done = false;
  std::function<void(PgOutbox&, std::vector<std::string>&, bool&)> next;
  next = [&](PgOutbox& node, std::vector<std::string>& got, bool& done) {
    node.async_claim_due(feb(1, 12), 64, [&](Result<Rows> rows) {
      ASSERT_TRUE(rows.ok()) << rows.error().message;
      if (rows->empty()) {
        done = true;
        return;
      }
      for (const NotificationRow& row : *rows) got.push_back(row.id);
      next(node, got, done);
    });
  };
  next(a, got_a, a_done);
  next(b, got_b, b_done);
  ASSERT_TRUE(testing::run_until(io_, [&] { return a_done && b_done; }, 60s));

  std::set<std::string> all(got_a.begin(), got_a.end());
  const std::set<std::string> of_b(got_b.begin(), got_b.end());
  EXPECT_EQ(all.size(), got_a.size());
  EXPECT_EQ(of_b.size(), got_b.size());
  for (const std::string& id : of_b) EXPECT_EQ(all.count(id), 0u) << id << " claimed twice";
  all.insert(of_b.begin(), of_b.end());
  EXPECT_EQ(all.size(), 2000u);
  EXPECT_GT(got_a.size(), 0u);
  EXPECT_GT(got_b.size(), 0u);
  Result<PgRows> owners = database_.query(
      "SELECT claimed_by, count(*) FROM notifications WHERE state = 'sending'"
      " GROUP BY claimed_by ORDER BY claimed_by");
  ASSERT_TRUE(owners.ok()) << owners.error().message;
  ASSERT_EQ(owners->size(), 2u);
  EXPECT_EQ(owners->at(0, 1), std::to_string(got_a.size()));
  EXPECT_EQ(owners->at(1, 1), std::to_string(got_b.size()));
}

TEST_F(PgOutboxNodes, ManyOverdueRowsAreMarkedMissedInStatementsOfAFewEach) {
  PgOutbox& node = database_.add_node("node-a");  // 700 rows per statement
  std::vector<PlannedNotification> rows;
  std::vector<std::string> ids;
  for (unsigned long long n = 1; n <= 1500; ++n) {
    rows.push_back(planned(n, feb(1, 10)));
    ids.push_back(id_of(n));
  }
  ASSERT_EQ(plan(node, rows).inserted, 1500u);
  ids.push_back(id_of(9999));  // unknown: not counted
  Result<std::size_t> missed = await<std::size_t>(io_, [&](auto done) {
    node.async_mark_missed(ids, feb(1, 12), AsyncOutbox::MissScope::untried, std::move(done));
  });
  ASSERT_TRUE(missed.ok()) << missed.error().message;
  EXPECT_EQ(*missed, 1500u);
  Result<PgRows> states =
      database_.query("SELECT state, count(*) FROM notifications GROUP BY state");
  ASSERT_TRUE(states.ok()) << states.error().message;
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ(states->at(0, 0), "missed");
  EXPECT_EQ(states->at(0, 1), "1500");
}

TEST_F(PgOutboxNodes, ALeaseThatRunsOutUnderADeadNodeIsTakenOver) {
  PgOutbox& dead = database_.add_node("node-a", 250ms);
  PgOutbox& live = database_.add_node("node-b");
  dead.set_loaded_versions({{"s", "v1"}});
  live.set_loaded_versions({{"s", "v1"}});
  plan(live, {planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  ASSERT_EQ(claim(dead).size(), 2u);
  EXPECT_EQ(claimed_by(1), "node-a");
  EXPECT_EQ(take_over(live), 0u);  // not yet

  let_pass(300ms);  // node-a renews nothing
  EXPECT_EQ(take_over(live), 2u);
  EXPECT_EQ(claimed_by(1), "");
  EXPECT_EQ(claim(live), (std::vector{id_of(1), id_of(2)}));
  EXPECT_EQ(claimed_by(1), "node-b");

  // node-a was only slow after all: what it reports now is history only,
  // and its renewal finds nothing of its own.
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                dead.async_renew_leases({id_of(1)}, std::move(done));
              }).ok());
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                dead.async_record_results(
                    {{id_of(1), {feb(1, 12), AttemptResult::sent(250, "ok")}, {}}}, std::move(done));
              }).ok());
  std::optional<NotificationRow> row = database_.row(id_of(1));
  EXPECT_EQ(row->state, NotificationState::sending);
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(claimed_by(1), "node-b");
  // node-b's own result moves it.
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                live.async_record_results(
                    {{id_of(1), {feb(1, 12), AttemptResult::sent(250, "ok")}, {}}}, std::move(done));
              }).ok());
  EXPECT_EQ(database_.row(id_of(1))->state, NotificationState::sent);
  EXPECT_EQ(claimed_by(1), "");
  Result<PgRows> nodes = database_.query(
      "SELECT node FROM attempts WHERE notification_id = $1 ORDER BY ctid", {id_of(1)});
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ(nodes->at(0, 0), "node-a");
  EXPECT_EQ(nodes->at(1, 0), "node-b");
}

TEST_F(PgOutboxNodes, NothingIsTakenOverWhileTakeOverIsPausedAfterAnOutage) {
  PgOutbox& dead = database_.add_node("node-a", 250ms);
  PgOutbox& live = database_.add_node("node-b");
  dead.set_loaded_versions({{"s", "v1"}});
  plan(live, {planned(1, feb(1, 10))});
  ASSERT_EQ(claim(dead).size(), 1u);
  let_pass(300ms);  // node-a's lease ran out
  live.pause_take_over(std::chrono::steady_clock::now() + 300ms);
  EXPECT_EQ(take_over(live), 0u);
  EXPECT_EQ(claimed_by(1), "node-a");
  let_pass(350ms);
  EXPECT_EQ(take_over(live), 1u);
}

TEST_F(PgOutboxNodes, ARenewedLeaseIsNotTakenOver) {
  PgOutbox& slow = database_.add_node("node-a", 300ms);
  PgOutbox& other = database_.add_node("node-b");
  slow.set_loaded_versions({{"s", "v1"}});
  plan(other, {planned(1, feb(1, 10))});
  ASSERT_EQ(claim(slow).size(), 1u);
  // A slow relay: the delivery outlasts the lease twice over, and the node
  // renews every 50 ms meanwhile (a margin of 250 ms for a busy machine).
  for (int tick = 0; tick < 12; ++tick) {
    let_pass(50ms);
    ASSERT_TRUE(await<void>(io_, [&](auto done) {
                  slow.async_renew_leases({id_of(1)}, std::move(done));
                }).ok());
    EXPECT_EQ(take_over(other), 0u);
  }
  EXPECT_EQ(claimed_by(1), "node-a");
  EXPECT_EQ(database_.row(id_of(1))->state, NotificationState::sending);
}

TEST_F(PgOutboxNodes, ANodeSendsOnlyTheVersionsItHasLoaded) {
  PgOutbox& current = database_.add_node("node-a");
  PgOutbox& stale = database_.add_node("node-b");
  current.set_loaded_versions({{"s", "v2"}});
  stale.set_loaded_versions({{"s", "v1"}});
  plan(current, {planned(1, feb(1, 10)), planned(2, feb(1, 11))}, "v1");
  // node-a reloads the new file: every row still to send is now of v2,
  // also the one whose due did not change.
  PlanDiff diff = plan(current, {planned(1, feb(1, 10)), planned(2, feb(1, 9))}, "v2");
  EXPECT_EQ(diff.unchanged, 1u);
  EXPECT_EQ(diff.rescheduled, 1u);

  EXPECT_TRUE(claim(stale).empty());
  EXPECT_EQ(await<std::optional<Instant>>(io_, [&](auto done) {
              stale.async_next_due(std::move(done));
            }).value(),
            std::nullopt);
  EXPECT_EQ(claim(current), (std::vector{id_of(2), id_of(1)}));
}

TEST_F(PgOutboxNodes, TwoNodesApplyingOnePlanAtOnceStoreItOnce) {
  PgOutbox& a = database_.add_node("node-a");
  PgOutbox& b = database_.add_node("node-b");
  std::vector<PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 3000; ++n) rows.push_back(planned(n, feb(1, 10)));
  RowsOf wanted_a(rows), wanted_b(rows);
  std::optional<Result<PlanDiff>> diff_a, diff_b;
  a.async_apply_plan("s", "v1", wanted_a, feb(1), {}, [&](Result<PlanDiff> d) { diff_a = d; });
  b.async_apply_plan("s", "v1", wanted_b, feb(1), {}, [&](Result<PlanDiff> d) { diff_b = d; });
  ASSERT_TRUE(testing::run_until(io_, [&] { return diff_a && diff_b; }, 60s));
  ASSERT_TRUE(diff_a->ok()) << diff_a->error().message;
  ASSERT_TRUE(diff_b->ok()) << diff_b->error().message;
  const PlanDiff& first = (*diff_a)->inserted > 0 ? **diff_a : **diff_b;
  const PlanDiff& second = (*diff_a)->inserted > 0 ? **diff_b : **diff_a;
  EXPECT_EQ(first.inserted, 3000u);
  EXPECT_EQ(first.unchanged, 0u);
  EXPECT_EQ(second.inserted, 0u);
  EXPECT_EQ(second.unchanged, 3000u);
  EXPECT_TRUE(first.superseded.empty());
  EXPECT_TRUE(second.superseded.empty());
  Result<PgRows> count = database_.query("SELECT count(*), count(DISTINCT id) FROM notifications");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->at(0, 0), "3000");
  EXPECT_EQ(count->at(0, 1), "3000");
}

TEST_F(PgOutboxNodes, AppliesAskedForTogetherOnOneNodeRunOneAfterAnother) {
  PgOutbox& a = database_.add_node("node-a");
  RowsOf first({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  RowsOf second({planned(1, feb(1, 11))});
  std::vector<std::string> order;
  std::optional<Result<PlanDiff>> one, two;
  a.async_apply_plan("s", "v1", first, feb(1), {}, [&](Result<PlanDiff> d) { one = d; order.push_back("1"); });
  a.async_apply_plan("s", "v1", second, feb(1), {}, [&](Result<PlanDiff> d) { two = d; order.push_back("2"); });
  ASSERT_TRUE(testing::run_until(io_, [&] { return one && two; }));
  ASSERT_TRUE(one->ok()) << one->error().message;
  ASSERT_TRUE(two->ok()) << two->error().message;
  EXPECT_EQ(order, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ((*two)->rescheduled, 1u);
  EXPECT_EQ((*two)->superseded.size(), 1u);
}

TEST_F(PgOutboxNodes, TheHeartbeatListsTheNodeAndItsVersions) {
  PgOutbox& a = database_.add_node("node-a");
  a.set_loaded_versions({{"s", "v1"}, {"t", "w1"}});
  ASSERT_TRUE(await<void>(io_, [&](auto done) { a.async_heartbeat(std::move(done)); }).ok());
  a.set_loaded_versions({{"s", "v2"}});
  ASSERT_TRUE(await<void>(io_, [&](auto done) { a.async_heartbeat(std::move(done)); }).ok());
  Result<PgRows> nodes = database_.query(
      "SELECT name, heartbeat_at >= started_at FROM nodes");
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ(nodes->at(0, 0), "node-a");
  EXPECT_EQ(nodes->at(0, 1), "t");
  Result<PgRows> versions =
      database_.query("SELECT series_id, content_hash FROM node_series ORDER BY series_id");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->at(0, 0), "s");
  EXPECT_EQ(versions->at(0, 1), "v2");
}

}  // namespace
}  // namespace kutsu::store::pg
