// kill -9 in the middle of a burst, then a restart: every notification
// arrives at least once, and the only duplicates are the ones that were in
// flight at the kill (at most the dispatcher's bound).
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <map>
#include <regex>
#include <string>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ServeKillTest, KillNineDuringABurstLosesNothingAfterARestart) {
  testing::Burst burst;
  ASSERT_EQ(burst.dues().size(), 300u);
  {
    testing::ServeProcess serve(burst.config());
    ASSERT_TRUE(burst.receive(20s)) << serve.process().stdout_text();  // the burst has begun
    serve.process().send_signal(SIGKILL);
    EXPECT_EQ(serve.process().wait(15s), 128 + SIGKILL);
  }
  while (burst.receive(1s)) {
  }
  EXPECT_LT(burst.received().size(), burst.dues().size())
      << "the kill came too late to test anything";

  testing::ServeProcess again(burst.config());
  // The restarted daemon says how many rows it found still `sending`: those
  // were in flight at the kill, and only they may arrive twice.
  static const std::regex kRecovered(
      R"((\d+) notifications were being sent when the daemon stopped)");
  std::smatch match;
  const std::string log = again.process().stdout_text();
  const int in_flight = std::regex_search(log, match, kRecovered) ? std::stoi(match[1]) : 0;
  while (burst.received().size() < burst.dues().size() && burst.receive(20s)) {
  }
  while (burst.receive(1500ms)) {
  }
  EXPECT_EQ(burst.received().size(), burst.dues().size());
  int duplicates = 0;
  for (const auto& [id, count] : burst.received()) {
    EXPECT_TRUE(burst.dues().contains(id)) << "unplanned " << id;
    EXPECT_LE(count, 2) << id;
    duplicates += count - 1;
  }
  std::cout << "in flight at kill -9: " << in_flight << ", duplicates: " << duplicates << "\n";
  EXPECT_LE(duplicates, in_flight);
  EXPECT_EQ(again.terminate(), 0) << again.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
