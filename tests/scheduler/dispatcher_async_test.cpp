// The dispatcher over an outbox that answers later: one claim in flight at
// a time, outcomes that arrive while a batch is being written go into the
// next one, the leases of what is in flight are renewed, and stop() waits
// for the last batch to be written. GatedOutbox holds the answers back so
// each test sees what is asked while something is in flight.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/clock.h"
#include "scheduler/dispatcher.h"
#include "store/local_outbox.h"
#include "tests/scheduler/fake_sender.h"
#include "tests/scheduler/gated_outbox.h"
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
using testing::GatedOutbox;

class DispatcherAsync : public ::testing::Test {
 protected:
  DispatcherAsync()
      : outbox_(store::Outbox::open(store::outbox_file(dir_.path())).value()),
        local_(io_, outbox_),
        gated_(local_),
        clock_(feb(1, 10)),
        sender_(io_) {
    settings_.flush_delay = 0ms;
  }

  void plan(unsigned long long rows) {
    std::vector<store::PlannedNotification> planned_rows;
    for (unsigned long long n = 1; n <= rows; ++n) planned_rows.push_back(planned(n, feb(1, 10)));
    ASSERT_TRUE(outbox_.apply_plan("webinaarit", planned_rows, feb(1, 0)));
  }

  Dispatcher& start() {
    dispatcher_.emplace(io_, gated_, clock_, sender_, settings_);
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

  NotificationState state(unsigned long long n) {
    return outbox_.find(id_of(n)).value()->row.state;
  }

  store::testing::TempDir dir_;
  asio::io_context io_;
  store::Outbox outbox_;
  store::LocalOutbox local_;
  GatedOutbox gated_;
  ManualClock clock_;
  FakeSender sender_;
  DispatcherSettings settings_;
  std::optional<Dispatcher> dispatcher_;
};

TEST_F(DispatcherAsync, OneClaimIsInFlightAtATimeAndAWakeMeanwhileClaimsAgainAfter) {
  gated_.hold_claims = true;
  plan(1);
  Dispatcher& dispatcher = start();
  dispatcher.wake();
  dispatcher.wake();
  io_.poll();
  EXPECT_EQ(gated_.claims, 1u);
  EXPECT_TRUE(sender_.sent.empty());

  gated_.release_one();
  run_until([&] { return sender_.sent.size() == 1u; });
  // Woken while claiming: one more claim, since the wake may have come with
  // more due than the first claim saw.
  run_until([&] { return gated_.claims == 2u; });
  EXPECT_EQ(gated_.held.size(), 1u);
}

TEST_F(DispatcherAsync, OutcomesArrivingWhileABatchIsWrittenGoIntoTheNext) {
  settings_.flush_count = 1;
  gated_.hold_records = true;
  sender_.hold = true;
  plan(3);
  Dispatcher& dispatcher = start();
  run_until([&] { return sender_.sent.size() == 3u; });
  const AttemptResult ok = AttemptResult::sent(250, "OK");
  sender_.release_one(ok);
  sender_.release_one(ok);
  sender_.release_one(ok);
  EXPECT_EQ(gated_.record_batches, (std::vector<std::size_t>{1}));
  EXPECT_EQ(dispatcher.unrecorded(), 3u);

  gated_.release_one();
  run_until([&] { return gated_.record_batches.size() == 2u; });
  EXPECT_EQ(gated_.record_batches, (std::vector<std::size_t>{1, 2}));
  gated_.release_one();
  run_until([&] { return dispatcher.unrecorded() == 0u; });
  EXPECT_EQ(state(1), NotificationState::sent);
  EXPECT_EQ(state(3), NotificationState::sent);
}

TEST_F(DispatcherAsync, AfterAFailedBatchTheNextTryWaitsForTheErrorPauseHoweverManyOutcomesArrive) {
  settings_.flush_count = 1;
  settings_.error_pause = 1h;  // the test never lets it pass
  gated_.fail_records = true;
  sender_.hold = true;
  plan(4);
  Dispatcher& dispatcher = start();
  run_until([&] { return sender_.sent.size() == 4u; });
  const AttemptResult ok = AttemptResult::sent(250, "OK");
  sender_.release_one(ok);
  ASSERT_EQ(gated_.record_batches, (std::vector<std::size_t>{1}));
  gated_.release_one();  // the outbox refuses the batch
  run_until([&] { return dispatcher.unrecorded() == 1u && gated_.held.empty(); });
  sender_.release_one(ok);
  sender_.release_one(ok);
  sender_.release_one(ok);
  io_.poll();
  // Kept, and not tried again once per outcome (each failed try logs an error).
  EXPECT_EQ(gated_.record_batches, (std::vector<std::size_t>{1}));
  EXPECT_EQ(dispatcher.unrecorded(), 4u);
}

TEST_F(DispatcherAsync, TheLeasesOfWhatIsStillInFlightAreRenewed) {
  settings_.renew_every = 5ms;
  sender_.hold = true;
  plan(2);
  start();
  run_until([&] { return sender_.sent.size() == 2u && gated_.renewals.size() >= 2u; });
  for (const std::vector<std::string>& ids : gated_.renewals) {
    EXPECT_EQ(ids, (std::vector{id_of(1), id_of(2)}));
  }
  sender_.release_one(AttemptResult::sent(250, "OK"));
  const std::size_t before = gated_.renewals.size();
  run_until([&] { return gated_.renewals.size() > before; });
  EXPECT_EQ(gated_.renewals.back(), (std::vector{id_of(2)}));
}

TEST_F(DispatcherAsync, StopWaitsForTheLastBatchToBeWritten) {
  gated_.hold_records = true;
  sender_.hold = true;
  plan(1);
  Dispatcher& dispatcher = start();
  run_until([&] { return sender_.sent.size() == 1u; });
  bool stopped = false;
  dispatcher.stop([&] { stopped = true; });
  sender_.release_one(AttemptResult::sent(250, "OK"));
  run_until([&] { return gated_.held.size() == 1u; });
  io_.poll();
  EXPECT_FALSE(stopped);
  EXPECT_EQ(state(1), NotificationState::sending);
  gated_.release_one();
  run_until([&] { return stopped; });
  EXPECT_EQ(state(1), NotificationState::sent);
}

TEST_F(DispatcherAsync, TakesOverEveryPeriodWhenAskedTo) {
  settings_.take_over_every = 5ms;
  plan(0);
  start();
  run_until([&] { return gated_.take_overs >= 2u; });
}

}  // namespace
}  // namespace kutsu::scheduler
