// A storm of SIGHUPs (an editor's save hook gone wrong, a script in a loop)
// while reloads take a while: one runs, one waits, the rest merge into the
// waiting one, and the last edit made before the storm ends is in force.
// And 100 SIGHUPs in a second during a burst: every message once, none
// left `sending`.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <thread>

#include "tests/fixtures/http_client.h"

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ServeProcess;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

TEST(ServeReloadStorm, ManySignalsMakeFewReloadsAndTheLastEditWins) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  // Large enough that a reload takes longer than the gap between signals.
  dir.write("series.d/pian.csv", testing::participants_csv(10000));
  const auto far = testing::seconds_from_now(24h);
  dir.write("series.d/pian.toml", testing::series_toml({{"eka", far}}, "PT1H"));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  ServeProcess serve(config);

  // 100 signals over about 0.3 s; the last edit comes before the last one.
  for (int i = 0; i < 100; ++i) {
    if (i == 90) {
      dir.write("series.d/pian.toml",
                testing::series_toml({{"eka", far}, {"toka", far + 1h}}, "PT1H"));
    }
    serve.process().send_signal(SIGHUP);
    std::this_thread::sleep_for(3ms);  // pacing the storm, not waiting for anything
  }
  // The 2-session plan: 10,000 invitations and 20,000 reminders.
  // The first such load may take long on a busy machine; once one is in,
  // 5 s without another means the storm's loads are over.
  std::optional<std::string> last = serve.wait_for("30000 notifications", 60s);
  while (std::optional<std::string> line = serve.wait_for("30000 notifications", 5s)) last = line;
  ASSERT_TRUE(last) << serve.process().stdout_text().substr(0, 3000);
  EXPECT_EQ(serve.terminate(), 0);

  const std::string log = serve.process().stdout_text();
  // One load at start-up, then far fewer reloads than signals.
  const std::size_t loads = count_of(log, "series pian from");
  EXPECT_GE(loads, 2u) << log;
  EXPECT_LE(loads, 40u) << log;
  EXPECT_GT(count_of(log, "merged into it"), 0u) << log;
}

TEST(ServeReloadStorm, AHundredSignalsInASecondDuringABurstLoseAndRepeatNothing) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  constexpr int kPeople = 3000;  // a burst that outlasts the storm
  dir.write("series.d/pian.csv", testing::participants_csv(kPeople));
  const auto series =
      dir.write("series.d/pian.toml",
                testing::series_toml({{"eka", testing::seconds_from_now(1h)}}, "PT59M57S"));
  const auto dues = testing::planned_dues(series);
  testing::ServeProcess serve(dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url())));
  std::map<std::string, int> received;
  const auto receive = [&](std::chrono::milliseconds timeout) {
    serve.drain();  // a line per send: the daemon's pipe must not fill
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(timeout);
    if (message) ++received[testing::notification_id_of(message->data)];
    return message.has_value();
  };
  ASSERT_TRUE(receive(20s)) << serve.process().stdout_text();  // the burst has begun
  for (int i = 0; i < 100; ++i) {
    serve.process().send_signal(SIGHUP);
    std::this_thread::sleep_for(10ms);  // pacing the storm, not waiting for anything
    while (receive(0ms)) {
    }
  }
  EXPECT_LT(received.size(), static_cast<std::size_t>(kPeople))
      << "the burst was over before the storm: nothing tested";
  while (received.size() < static_cast<std::size_t>(kPeople) && receive(20s)) {
  }
  EXPECT_FALSE(receive(1500ms)) << "more messages than planned";
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kPeople));
  for (const auto& [id, count] : received) {
    EXPECT_TRUE(dues.contains(id)) << "unplanned " << id;
    EXPECT_EQ(count, 1) << id << " arrived " << count << " times";
  }

  // Every result recorded: nothing left `sending` once the last is flushed.
  kutsu::testing::HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));
  const auto sending = [&]() -> long {
    Result<kutsu::testing::HttpReply> reply = client.get("/metrics");
    if (!reply || reply->status != 200) return -1;
    long total = 0;
    const std::string prefix = "\nkutsu_notifications{state=\"sending\"";
    for (std::size_t at = reply->body.find(prefix); at != std::string::npos;
         at = reply->body.find(prefix, at + 1)) {
      const std::size_t end = reply->body.find('\n', at + 1);
      const std::size_t space = reply->body.rfind(' ', end);
      total += std::strtol(reply->body.c_str() + space + 1, nullptr, 10);
    }
    return total;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sending() != 0 && std::chrono::steady_clock::now() < deadline) serve.drain();
  EXPECT_EQ(sending(), 0);
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text().substr(0, 3000);
}

}  // namespace
}  // namespace kutsu::daemon
