// The dispatcher against a real SQLite outbox in a temporary folder (behind
// LocalOutbox, so every answer comes later on the loop), a ManualClock and
// a fake sender whose answers each test scripts.
#include "scheduler/dispatcher.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "scheduler/clock.h"
#include "store/local_outbox.h"
#include "tests/scheduler/fake_sender.h"
#include "tests/store/store_test_support.h"

namespace kutsu::scheduler {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using store::NotificationState;
using store::testing::feb;
using store::testing::id_of;
using store::testing::planned;
using testing::FakeSender;

AttemptResult busy(std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  return AttemptResult::retry(451, "4.3.0 mailbox busy", retry_after);
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : outbox_(open()), local_(io_, outbox_), clock_(feb(1, 10)), sender_(io_) {
    settings_.retry.backoff = {30s, 2min};
    settings_.retry.max_attempts = 4;
    settings_.retry.jitter = 0.1;
    settings_.unit_random = [] { return 0.0; };
    settings_.flush_delay = 0ms;
  }

  store::Outbox open() {
    Result<store::Outbox> outbox = store::Outbox::open(store::outbox_file(dir_.path()));
    if (!outbox) throw std::runtime_error(outbox.error().message);
    return std::move(*outbox);
  }

  void plan(std::vector<store::PlannedNotification> rows) {
    ASSERT_TRUE(outbox_.apply_plan("webinaarit", rows, feb(1, 0)));
  }

  Dispatcher& start() {
    dispatcher_.emplace(io_, local_, clock_, sender_, settings_);
    dispatcher_->start();
    return *dispatcher_;
  }

  // Runs the loop until `done` holds; fails the test after `timeout`.
  void run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        FAIL() << "timed out";
        return;
      }
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
  }

  store::NotificationRow row(unsigned long long n) {
    auto found = outbox_.find(id_of(n));
    if (!found || !*found) throw std::runtime_error("no row " + id_of(n));
    return (*found)->row;
  }

  NotificationState state(unsigned long long n) { return row(n).state; }

  // Moves the clock and tells the dispatcher, as a reload would.
  void advance(std::chrono::seconds by) {
    clock_.advance(by);
    dispatcher_->wake();
  }

  store::testing::TempDir dir_;
  asio::io_context io_;
  store::Outbox outbox_;
  store::LocalOutbox local_;
  ManualClock clock_;
  FakeSender sender_;
  DispatcherSettings settings_;
  std::optional<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, SendsWhatIsDueAndRecordsItAsSent) {
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 9, 59))});
  start();
  run_until(
      [&] { return state(1) == NotificationState::sent && state(2) == NotificationState::sent; });
  EXPECT_EQ(sender_.sent, (std::vector<std::string>{id_of(2), id_of(1)}));  // earliest due first
  const store::NotificationRow sent = row(1);
  EXPECT_EQ(sent.sent_at, feb(1, 10));
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_EQ(sent.last_result, "sent 250 2.0.0 OK: queued");
}

TEST_F(DispatcherTest, CountsAttemptsAndLatenessForMetrics) {
  // Due 10:00:00 and 09:59:00; the clock reads 10:00:00.250 when they go out.
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 9, 59)), planned(3, feb(1, 10))});
  clock_.advance(250ms);
  sender_.answer = [](const store::NotificationRow& row) {
    return row.id == id_of(3) ? busy() : AttemptResult::sent(250, "OK");
  };
  start();
  run_until([&] {
    return state(1) == NotificationState::sent && state(2) == NotificationState::sent &&
           state(3) == NotificationState::retrying;
  });
  const DeliveryStats& stats = dispatcher_->stats();
  const std::string channel = row(1).channel;
  EXPECT_EQ(stats.attempts().at({channel, AttemptOutcome::sent}), 2u);
  EXPECT_EQ(stats.attempts().at({channel, AttemptOutcome::retry}), 1u);
  EXPECT_EQ(stats.attempts().size(), 2u);
  const DeliveryStats::Histogram& lateness = stats.lateness();
  EXPECT_EQ(lateness.count, 2u);
  EXPECT_DOUBLE_EQ(lateness.sum_seconds, 0.25 + 60.25);
  // Bounds: 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 60 600 3600 +Inf
  EXPECT_EQ(lateness.cumulative[4], 0u);   // ≤ 0.1 s
  EXPECT_EQ(lateness.cumulative[5], 1u);   // ≤ 0.25 s
  EXPECT_EQ(lateness.cumulative[11], 1u);  // ≤ 60 s
  EXPECT_EQ(lateness.cumulative[12], 2u);  // ≤ 600 s
  EXPECT_EQ(lateness.cumulative.back(), 2u);
}

TEST_F(DispatcherTest, TakesABurstInSlicesLeavingTheLoopToOthersInBetween) {
  settings_.send_slice = 2;
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10)),
        planned(4, feb(1, 10)), planned(5, feb(1, 10))});
  start();
  run_until([&] { return sender_.sent.size() == 2u; });  // the first slice, then the loop is free
  bool other_ran = false;
  asio::post(io_, [&] {
    other_ran = true;
    EXPECT_LT(sender_.sent.size(), 5u);  // ran before the last slice
  });
  run_until([&] { return state(5) == NotificationState::sent; });
  EXPECT_TRUE(other_ran);
  EXPECT_EQ(sender_.sent, (std::vector{id_of(1), id_of(2), id_of(3), id_of(4), id_of(5)}));
}

TEST_F(DispatcherTest, OneClaimTakesSeveralSlicesAndTheNextClaimWaitsForNoSlice) {
  settings_.claim_batch = 4;
  settings_.send_slice = 2;
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10)),
        planned(4, feb(1, 10)), planned(5, feb(1, 10))});
  start();
  run_until([&] { return sender_.sent.size() == 2u; });
  // Claimed with the first slice, waiting for their own; the fifth is the
  // next claim's.
  EXPECT_EQ(state(3), NotificationState::sending);
  EXPECT_EQ(state(4), NotificationState::sending);
  EXPECT_EQ(state(5), NotificationState::pending);
  run_until([&] { return state(5) == NotificationState::sent; });
  EXPECT_EQ(sender_.sent, (std::vector{id_of(1), id_of(2), id_of(3), id_of(4), id_of(5)}));
  EXPECT_EQ(dispatcher_->in_flight(), 0u);
}

TEST_F(DispatcherTest, LeavesWhatIsNotDueAndSendsItWhenTheClockGetsThere) {
  plan({planned(1, feb(1, 10, 5))});
  start();
  io_.poll();
  EXPECT_TRUE(sender_.sent.empty());
  advance(4min + 59s);
  io_.poll();
  EXPECT_TRUE(sender_.sent.empty());
  EXPECT_EQ(state(1), NotificationState::pending);
  advance(1s);
  run_until([&] { return state(1) == NotificationState::sent; });
  EXPECT_EQ(row(1).sent_at, feb(1, 10, 5));
}

TEST_F(DispatcherTest, TheTimerFiresAtTheDueSecondOfTheWallClock) {
  // The real clock: the timer, not a wake(), has to bring the send.
  SystemClock system;
  const store::Instant due = std::chrono::ceil<std::chrono::seconds>(system.now()) + 1s;
  plan({planned(1, due)});
  Clock::TimePoint sent_at;
  sender_.answer = [&](const store::NotificationRow&) {
    sent_at = system.now();
    return AttemptResult::sent(250, "OK");
  };
  dispatcher_.emplace(io_, local_, system, sender_, settings_);
  dispatcher_->start();
  run_until([&] { return state(1) == NotificationState::sent; });
  EXPECT_GE(sent_at, due);
  EXPECT_LT(sent_at, due + 200ms);
}

TEST_F(DispatcherTest, RetriesFollowTheBackoffAndItsLastStepRepeats) {
  plan({planned(1, feb(1, 10))});
  sender_.answer = [](const store::NotificationRow&) { return busy(); };
  start();
  run_until([&] { return state(1) == NotificationState::retrying; });
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 10) + 30s);
  EXPECT_EQ(row(1).last_result, "retry 451 4.3.0 mailbox busy");

  advance(29s);
  io_.poll();
  EXPECT_EQ(sender_.sent.size(), 1u);
  advance(1s);
  run_until([&] { return row(1).attempts == 2; });
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 10) + 30s + 2min);

  advance(2min);
  run_until([&] { return row(1).attempts == 3; });
  EXPECT_EQ(row(1).state, NotificationState::retrying);
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 10) + 30s + 2min + 2min);
}

TEST_F(DispatcherTest, JitterStretchesTheBackoffAndRetryAfterCanAskForMore) {
  settings_.unit_random = [] { return 0.5; };  // +5 % of 30 s = 1.5 s → 1 s
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10))});
  sender_.answer = [](const store::NotificationRow& r) {
    return r.id == id_of(1) ? busy() : busy(std::chrono::seconds{600});
  };
  start();
  run_until([&] {
    return state(1) == NotificationState::retrying && state(2) == NotificationState::retrying;
  });
  EXPECT_EQ(row(1).next_attempt_at, feb(1, 10) + 31s);
  EXPECT_EQ(row(2).next_attempt_at, feb(1, 10, 10));
}

TEST_F(DispatcherTest, FailsAfterMaxAttempts) {
  settings_.retry.max_attempts = 2;
  plan({planned(1, feb(1, 10))});
  sender_.answer = [](const store::NotificationRow&) { return busy(); };
  start();
  run_until([&] { return state(1) == NotificationState::retrying; });
  advance(30s);
  run_until([&] { return state(1) == NotificationState::failed; });
  EXPECT_EQ(row(1).attempts, 2);
  EXPECT_EQ(row(1).next_attempt_at, std::nullopt);
  EXPECT_EQ(sender_.sent.size(), 2u);
}

TEST_F(DispatcherTest, APermanentFailureIsNotRetried) {
  plan({planned(1, feb(1, 10))});
  sender_.answer = [](const store::NotificationRow&) {
    return AttemptResult::permanent("cannot render: template reminder.txt: unclosed section");
  };
  start();
  run_until([&] { return state(1) == NotificationState::failed; });
  EXPECT_EQ(row(1).last_result, "permanent cannot render: template reminder.txt: unclosed section");
  advance(1h);
  io_.poll();
  EXPECT_EQ(sender_.sent.size(), 1u);
}

TEST_F(DispatcherTest, NeverHasMoreThanMaxInFlight) {
  settings_.max_in_flight = 2;
  sender_.hold = true;
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10)),
        planned(4, feb(1, 10))});
  Dispatcher& dispatcher = start();
  io_.poll();
  EXPECT_EQ(sender_.sent, (std::vector<std::string>{id_of(1), id_of(2)}));
  EXPECT_EQ(state(3), NotificationState::pending);  // not claimed while there is no room
  sender_.release_one(AttemptResult::sent(250, "OK"));
  run_until([&] { return sender_.sent.size() == 3; });
  EXPECT_EQ(dispatcher.in_flight(), 2u);
  EXPECT_EQ(sender_.sent.back(), id_of(3));
}

TEST_F(DispatcherTest, WithEverySlotTakenClaimsAgainOnlyOnceAQuarterIsFree) {
  settings_.max_in_flight = 8;  // a quarter: 2
  sender_.hold = true;
  std::vector<store::PlannedNotification> rows;
  for (unsigned long long n = 1; n <= 20; ++n) rows.push_back(planned(n, feb(1, 10)));
  plan(rows);
  start();
  io_.poll();
  EXPECT_EQ(sender_.sent.size(), 8u);
  const AttemptResult ok = AttemptResult::sent(250, "OK");
  sender_.release_one(ok);
  io_.poll();
  EXPECT_EQ(sender_.sent.size(), 8u);  // one free slot: not worth a claim yet
  sender_.release_one(ok);
  run_until([&] { return sender_.sent.size() == 10; });
  EXPECT_EQ(sender_.sent.back(), id_of(10));
}

TEST_F(DispatcherTest, RecordsOutcomesInBatches) {
  settings_.flush_count = 3;
  settings_.flush_delay = 1h;  // only the count flushes in this test
  sender_.hold = true;
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10)), planned(3, feb(1, 10))});
  Dispatcher& dispatcher = start();
  io_.poll();
  const AttemptResult ok = AttemptResult::sent(250, "OK");
  sender_.release_one(ok);
  sender_.release_one(ok);
  EXPECT_EQ(dispatcher.unrecorded(), 2u);
  EXPECT_EQ(state(1), NotificationState::sending);
  sender_.release_one(ok);
  run_until([&] { return dispatcher.unrecorded() == 0u; });
  EXPECT_EQ(state(1), NotificationState::sent);
  EXPECT_EQ(state(3), NotificationState::sent);
}

TEST_F(DispatcherTest, StopWaitsForSendsInFlightThenRecordsThem) {
  sender_.hold = true;
  plan({planned(1, feb(1, 10)), planned(2, feb(1, 10, 1))});
  Dispatcher& dispatcher = start();
  io_.poll();
  bool stopped = false;
  dispatcher.stop([&] { stopped = true; });
  advance(1min);  // claiming has stopped: notification 2 stays pending
  io_.poll();
  EXPECT_FALSE(stopped);
  sender_.release_one(AttemptResult::sent(250, "OK"));
  run_until([&] { return stopped; });
  EXPECT_EQ(state(1), NotificationState::sent);
  EXPECT_EQ(state(2), NotificationState::pending);
  EXPECT_EQ(sender_.sent.size(), 1u);
}

TEST_F(DispatcherTest, StopGivesUpOnSendsThatOutlastTheGrace) {
  settings_.stop_grace = 50ms;
  sender_.hold = true;
  plan({planned(1, feb(1, 10))});
  Dispatcher& dispatcher = start();
  io_.poll();
  bool stopped = false;
  dispatcher.stop([&] { stopped = true; });
  run_until([&] { return stopped; });
  // Still claimed: a restart sends it again (recover_interrupted).
  EXPECT_EQ(state(1), NotificationState::sending);
}

}  // namespace
}  // namespace kutsu::scheduler
