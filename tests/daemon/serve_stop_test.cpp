// SIGTERM in the middle of a burst: the real `kutsu serve` stops claiming,
// lets the sends in flight finish, records them and exits 0; after a restart
// the rest goes out, and nothing is lost or sent twice.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "tests/daemon/serve_support.h"

namespace kutsu::cli {
namespace {

using namespace std::chrono_literals;

TEST(ServeStopTest, SigtermDuringABurstExitsZeroAndARestartSendsTheRestExactlyOnce) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const testing::Instant start = testing::seconds_from_now(8s);
  // 150 people: 150 invitations at start-6 s, 150 reminders at start-5 s.
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
    serve.process().send_signal(SIGTERM);
    // Keep reading the server while the daemon finishes its sends in flight:
    // the fixture stops answering when nobody takes its messages.
    while (receive(1s)) {
    }
    EXPECT_EQ(serve.process().wait(15s), 0) << serve.process().stdout_text();
  }
  const std::size_t before_restart = received.size();
  EXPECT_LT(before_restart, dues.size()) << "the stop came too late to test anything";

  testing::ServeProcess again(config);
  while (received.size() < dues.size() && receive(20s)) {
  }
  EXPECT_FALSE(receive(1500ms)) << "more messages than planned";
  EXPECT_EQ(received.size(), dues.size());
  for (const auto& [id, count] : received) {
    EXPECT_TRUE(dues.contains(id)) << "unplanned " << id;
    EXPECT_EQ(count, 1) << id << " arrived " << count << " times";
  }
  EXPECT_EQ(again.terminate(), 0) << again.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::cli
