// SIGTERM in the middle of a burst: the real `kutsu serve` stops claiming,
// lets the sends in flight finish, records them and exits 0; after a restart
// the rest goes out, and nothing is lost or sent twice.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ServeStopTest, SigtermDuringABurstExitsZeroAndARestartSendsTheRestExactlyOnce) {
  testing::Burst burst;
  ASSERT_EQ(burst.dues().size(), 300u);
  {
    testing::ServeProcess serve(burst.config());
    ASSERT_TRUE(burst.receive(20s)) << serve.process().stdout_text();  // the burst has begun
    serve.process().send_signal(SIGTERM);
    // Keep reading the server while the daemon finishes its sends in flight:
    // the fixture stops answering when nobody takes its messages.
    while (burst.receive(1s)) {
    }
    EXPECT_EQ(serve.process().wait(15s), 0) << serve.process().stdout_text();
  }
  EXPECT_LT(burst.received().size(), burst.dues().size())
      << "the stop came too late to test anything";

  testing::ServeProcess again(burst.config());
  while (burst.received().size() < burst.dues().size() && burst.receive(20s)) {
  }
  EXPECT_FALSE(burst.receive(1500ms)) << "more messages than planned";
  EXPECT_EQ(burst.received().size(), burst.dues().size());
  for (const auto& [id, count] : burst.received()) {
    EXPECT_TRUE(burst.dues().contains(id)) << "unplanned " << id;
    EXPECT_EQ(count, 1) << id << " arrived " << count << " times";
  }
  EXPECT_EQ(again.terminate(), 0) << again.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
