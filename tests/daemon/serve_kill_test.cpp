// kill -9 in the middle of a burst, then a restart: every notification
// arrives at least once, and the only duplicates are the ones that were in
// flight at the kill (at most the dispatcher's bound).
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <map>

#include "tests/daemon/serve_support.h"

namespace kutsu::cli {
namespace {

using namespace std::chrono_literals;

TEST(ServeKillTest, KillNineDuringABurstLosesNothingAfterARestart) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const testing::Instant start = testing::seconds_from_now(8s);
  const auto series =
      dir.write("series.d/pian.toml", testing::series_toml({{"eka", start}}, "PT6S"));
  dir.write("series.d/pian.csv", testing::participants_csv(150));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  const auto dues = testing::planned_dues(series);
  ASSERT_EQ(dues.size(), 300u);

  std::map<std::string, int> received;
  auto receive = [&](std::chrono::milliseconds timeout) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(timeout);
    if (message) ++received[testing::notification_id_of(message->data)];
    return message.has_value();
  };
  {
    testing::ServeProcess serve(config);
    ASSERT_TRUE(receive(20s)) << serve.process().stdout_text();  // the burst has begun
    serve.process().send_signal(SIGKILL);
    EXPECT_EQ(serve.process().wait(15s), 128 + SIGKILL);
  }
  while (receive(1s)) {
  }
  EXPECT_LT(received.size(), dues.size()) << "the kill came too late to test anything";

  testing::ServeProcess again(config);
  while (received.size() < dues.size() && receive(20s)) {
  }
  while (receive(1500ms)) {
  }
  EXPECT_EQ(received.size(), dues.size());
  int duplicates = 0;
  for (const auto& [id, count] : received) {
    EXPECT_TRUE(dues.contains(id)) << "unplanned " << id;
    EXPECT_LE(count, 2) << id;
    duplicates += count - 1;
  }
  std::cout << "duplicates after kill -9: " << duplicates << "\n";
  EXPECT_LE(duplicates, 512);  // DispatcherSettings::max_in_flight
  EXPECT_EQ(again.terminate(), 0) << again.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::cli
