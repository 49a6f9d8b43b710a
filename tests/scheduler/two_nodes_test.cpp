// Two dispatchers, one PostgreSQL outbox (interfaces.md "Several daemons,
// one PostgreSQL database"): nodes "a" and "b", each with its own
// PgOutbox, connections and fake sender, on one event loop. Every row goes
// out exactly once between them; a slow send keeps its lease through
// renewal; a node that dies mid-send has its rows taken over and sent by
// the other once the lease ran out; a row one node's reload or retry made
// due reaches the other at once (LISTEN/NOTIFY), not at its capped wait.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scheduler/clock.h"
#include "scheduler/dispatcher.h"
#include "tests/scheduler/fake_sender.h"
#include "tests/store/async_outbox_support.h"

namespace kutsu::scheduler {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using store::testing::await;
using store::testing::feb;
using store::testing::id_of;
using store::testing::planned;
using testing::FakeSender;

// Short enough for a test, long enough that a busy machine (a build beside
// the tests) does not let a renewed lease run out between two statements.
constexpr std::chrono::milliseconds kLease{1000};

class TwoNodes : public ::testing::Test {
 protected:
  struct Node {
    Node(asio::io_context& io, store::pg::PgOutbox& outbox) : outbox(outbox), sender(io) {}
    store::pg::PgOutbox& outbox;
    FakeSender sender;
    std::optional<Dispatcher> dispatcher;  // destroyed before the sender
  };

  TwoNodes() : database_(io_), clock_(feb(1, 10)) {
    a_.emplace(io_, database_.add_node("a", kLease));
    b_.emplace(io_, database_.add_node("b", kLease));
    for (Node* node : {&*a_, &*b_}) node->outbox.set_loaded_versions({{"webinaarit", "v1"}});
    // As the daemon sets them for PostgreSQL: renew at a third of the
    // lease, look for abandoned rows at half of it.
    settings_.renew_every = kLease / 3;
    settings_.take_over_every = kLease / 2;
    settings_.flush_delay = 1ms;
  }

  ~TwoNodes() override {
    for (std::optional<Node>* node : {&a_, &b_}) {
      if (*node) (*node)->dispatcher.reset();
    }
  }

  void plan(unsigned long long rows) {
    std::vector<store::PlannedNotification> planned_rows;
    for (unsigned long long n = 1; n <= rows; ++n) planned_rows.push_back(planned(n, feb(1, 10)));
    store::testing::RowsOf wanted(std::move(planned_rows));
    Result<store::PlanDiff> diff = await<store::PlanDiff>(io_, [&](auto done) {
      a_->outbox.async_apply_plan("webinaarit", "v1", wanted, feb(1, 0), {}, std::move(done));
    });
    ASSERT_TRUE(diff.ok()) << diff.error().message;
    ASSERT_EQ(diff->inserted, rows);
  }

  void start(Node& node) {
    node.dispatcher.emplace(io_, node.outbox, clock_, node.sender, settings_);
    node.dispatcher->start();
  }

  // Runs the loop until `done` holds; fails the test after `limit`.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 30s) {
    const bool happened = store::pg::testing::run_until(io_, done, limit);
    EXPECT_TRUE(happened) << "timed out";
    return happened;
  }

  // Nothing in flight and every outcome written, on every running node.
  bool settled() {
    for (Node* node : {&*a_, &*b_}) {
      if (node->dispatcher &&
          (node->dispatcher->in_flight() > 0 || node->dispatcher->unrecorded() > 0)) {
        return false;
      }
    }
    return true;
  }

  std::int64_t count(std::string_view state) {
    Result<store::pg::PgRows> rows =
        database_.query("SELECT count(*) FROM notifications WHERE state = $1", {std::string(state)});
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() ? store::pg::integer_at(*rows, 0, 0) : -1;
  }

  asio::io_context io_;
  store::testing::PgDatabase database_;
  ManualClock clock_;
  DispatcherSettings settings_;
  std::optional<Node> a_;
  std::optional<Node> b_;
};

TEST_F(TwoNodes, EveryRowIsSentExactlyOnceAndBothNodesSendSome) {
  constexpr unsigned long long kRows = 2000;
  plan(kRows);
  start(*a_);
  start(*b_);
  run_until([&] {
    return a_->sender.sent.size() + b_->sender.sent.size() >= kRows && settled();
  });
  std::set<std::string> once;
  for (Node* node : {&*a_, &*b_}) once.insert(node->sender.sent.begin(), node->sender.sent.end());
  EXPECT_EQ(once.size(), kRows);
  EXPECT_EQ(a_->sender.sent.size() + b_->sender.sent.size(), kRows);  // none twice
  EXPECT_GT(a_->sender.sent.size(), 0u);
  EXPECT_GT(b_->sender.sent.size(), 0u);
  EXPECT_EQ(count("sent"), static_cast<std::int64_t>(kRows));
}

TEST_F(TwoNodes, ASlowSendKeepsItsLeaseAndTheOtherNodeNeverSendsIt) {
  plan(1);
  a_->sender.delay = 3 * kLease;  // a relay that takes three leases to answer
  start(*a_);
  run_until([&] { return a_->sender.sent.size() == 1u; });
  start(*b_);  // taking over every half lease: it would find the row if its lease ran out
  run_until([&] { return count("sent") == 1 && settled(); }, 10 * kLease);
  // Had the lease run out, either node would have taken the row over (both
  // look every half lease) and sent it a second time.
  EXPECT_EQ(a_->sender.sent.size(), 1u);
  EXPECT_TRUE(b_->sender.sent.empty());
  std::optional<store::NotificationRow> row = database_.row(id_of(1));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(database_.attempts(id_of(1)).size(), 1u);
}

TEST_F(TwoNodes, ANodeThatDiesMidSendHasItsRowsTakenOverAfterTheLease) {
  constexpr unsigned long long kRows = 10;
  plan(kRows);
  a_->sender.hold = true;  // its relay never answers: it died with them in flight
  start(*a_);
  run_until([&] { return a_->sender.sent.size() == kRows; });
  a_->dispatcher.reset();  // no more renewals from a
  const auto died = std::chrono::steady_clock::now();
  start(*b_);
  run_until([&] { return b_->sender.sent.size() == kRows && settled(); }, 20 * kLease);
  // Not before the lease ran out: until then the rows were a's.
  EXPECT_GE(std::chrono::steady_clock::now() - died, kLease / 2);
  EXPECT_EQ(count("sent"), static_cast<std::int64_t>(kRows));
  EXPECT_EQ(std::set<std::string>(b_->sender.sent.begin(), b_->sender.sent.end()).size(), kRows);
}

TEST_F(TwoNodes, ARowAnotherNodesApplyMadeDueNowIsSentWithoutWaitingForTheCap) {
  settings_.max_wait = 30s;
  start(*b_);
  // b's LISTEN went out before this query on the same connection: once it
  // is answered, b hears every NOTIFY after it.
  ASSERT_TRUE(await<std::optional<store::Instant>>(io_, [&](auto done) {
                b_->outbox.async_next_due(std::move(done));
              }).ok());
  const auto applied = std::chrono::steady_clock::now();
  plan(1);  // node a's reload: a row due now
  run_until([&] { return b_->sender.sent.size() == 1u; }, 5s);
  EXPECT_LT(std::chrono::steady_clock::now() - applied, 5s);
  EXPECT_TRUE(a_->sender.sent.empty());
}

TEST_F(TwoNodes, ARetryOnAnotherNodeWakesTheSender) {
  settings_.max_wait = 30s;
  plan(1);
  Result<std::size_t> missed = await<std::size_t>(io_, [&](auto done) {
    a_->outbox.async_mark_missed({id_of(1)}, feb(1, 10), store::AsyncOutbox::MissScope::unsent,
                                 std::move(done));
  });
  ASSERT_EQ(missed.value(), 1u);
  start(*b_);
  ASSERT_TRUE(await<std::optional<store::Instant>>(io_, [&](auto done) {
                b_->outbox.async_next_due(std::move(done));
              }).ok());
  ASSERT_TRUE(b_->sender.sent.empty());
  const auto retried = std::chrono::steady_clock::now();
  ASSERT_TRUE(await<void>(io_, [&](auto done) {
                a_->outbox.async_retry(id_of(1), feb(1, 10), std::move(done));
              }).ok());
  run_until([&] { return b_->sender.sent.size() == 1u; }, 5s);
  EXPECT_LT(std::chrono::steady_clock::now() - retried, 5s);
}

}  // namespace
}  // namespace kutsu::scheduler
