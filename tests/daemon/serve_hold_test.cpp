// A series whose file is broken when the daemon starts is held, not failed:
// its notifications wait (nothing is sent, nothing fails) until the file is
// fixed; then the misfire rule decides what is still worth sending.
#include <gtest/gtest.h>

#include <csignal>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;

TEST(ServeHold, ABrokenSeriesWaitsForItsFixAndThenTheMisfireRuleApplies) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant start = testing::seconds_from_now(9s);
  dir.write("series.d/pian.csv", testing::participants_csv(1));
  const std::string good = testing::series_toml({{"eka", start}}, "PT7S");
  const auto series = dir.write("series.d/pian.toml", good);
  const auto dues = testing::planned_dues(series);
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));

  {  // The daemon has served the series before.
    ServeProcess first(config);
    ASSERT_EQ(first.terminate(), 0) << first.process().stdout_text();
  }
  dir.write("series.d/pian.toml", good + "otsikko = \"kirjoitusvirhe\"\n");
  ServeProcess serve(config);
  EXPECT_NE(serve.process().stdout_text().find("series pian: not in force"), std::string::npos)
      << serve.process().stdout_text();

  // Invitation (start - 7 s) and reminder (start - 5 s) pass in silence.
  const auto until_started = std::chrono::duration_cast<std::chrono::milliseconds>(
      start + 1s - std::chrono::system_clock::now());
  EXPECT_EQ(smtp.next_message(until_started), std::nullopt);

  // Fixed after the session began: the invitation still goes (the session has
  // not ended); the reminder is missed (its session has started).
  dir.write("series.d/pian.toml", good);
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> missed = serve.wait_for("(missed)", 10s);
  ASSERT_TRUE(missed) << serve.process().stdout_text();
  EXPECT_NE(missed->find("series pian: 1 notifications came due while the series was not in "
                         "force and are too late to send (missed)"),
            std::string::npos)
      << *missed;
  std::optional<kutsu::testing::SmtpServer::Message> invitation = smtp.next_message(5s);
  ASSERT_TRUE(invitation) << serve.process().stdout_text();
  EXPECT_EQ(testing::notification_id_of(invitation->data), testing::id_due_at(dues, start - 7s));
  EXPECT_EQ(smtp.next_message(1s), std::nullopt);

  EXPECT_EQ(serve.terminate(), 0);
  const std::string log = serve.process().stdout_text();
  EXPECT_EQ(log.find("failed "), std::string::npos) << log;
}

}  // namespace
}  // namespace kutsu::daemon
