// The misfire rule after downtime, with the daemon's clock started in 2022
// (--clock-start): what came due while the daemon was down is sent if it is
// at most misfire_grace (PT15M) late, otherwise marked missed and never sent.
#include <gtest/gtest.h>

#include <csignal>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;

// Session 2022-02-02 18:00 Helsinki (16:00Z); reminders due 15:15Z and 15:40Z.
constexpr char kSeries[] = R"(id = "helmi"
title = "Helmikuun webinaari"
timezone = "Europe/Helsinki"
organiser = { name = "Järjestäjä", email = "webinaarit@example.org" }
join_url = "https://example.org/liity"
participants = "helmi.csv"

[invitation]
send_at = 2022-02-01T09:00:00

[[reminder]]
before = "PT45M"
[[reminder]]
before = "PT20M"

[[session]]
id = "verkosto"
title = "Verkosto"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)";

Instant utc(int day, int hour, int minute) {
  using namespace std::chrono;
  return sys_days{year{2022} / February / day} + hours{hour} + minutes{minute};
}

TEST(ServeMisfireTest, AfterDowntimeALittleLateIsSentAndTooLateIsMissed) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const auto series = dir.write("series.d/helmi.toml", kSeries);
  dir.write("series.d/helmi.csv", testing::participants_csv(1));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  const auto dues = testing::planned_dues(series);
  ASSERT_EQ(dues.size(), 3u);

  auto serve_from = [&](const char* clock_start) {
    return std::make_unique<kutsu::testing::ChildProcess>(kutsu::testing::ChildProcess::Options{
        .argv = {KUTSU_BINARY, "serve", "--config", config.string(), "--clock-start", clock_start},
        .merge_stderr = true});
  };

  {
    // 15:10Z: the invitation (due the day before, the series has not ended) goes out late.
    auto first = serve_from("2022-02-02T15:10:00Z");
    std::optional<kutsu::testing::SmtpServer::Message> invitation = smtp.next_message(10s);
    ASSERT_TRUE(invitation) << first->stdout_text();
    EXPECT_EQ(testing::notification_id_of(invitation->data),
              testing::id_due_at(dues, utc(1, 7, 0)));
    first->send_signal(SIGTERM);
    EXPECT_EQ(first->wait(15s), 0) << first->stdout_text();
  }

  // 35 minutes of downtime. At 15:45Z the 15:15Z reminder is 30 min late
  // (missed) and the 15:40Z one 5 min late (sent at once).
  const auto restarted_at = std::chrono::system_clock::now();
  auto second = serve_from("2022-02-02T15:45:00Z");
  std::optional<kutsu::testing::SmtpServer::Message> reminder = smtp.next_message(10s);
  ASSERT_TRUE(reminder) << second->stdout_text();
  EXPECT_EQ(testing::notification_id_of(reminder->data), testing::id_due_at(dues, utc(2, 15, 40)));
  EXPECT_LT(std::chrono::system_clock::now() - restarted_at, 2s);
  EXPECT_EQ(smtp.next_message(1500ms), std::nullopt) << "the missed reminder was sent";
  second->send_signal(SIGTERM);
  EXPECT_EQ(second->wait(15s), 0);
  EXPECT_NE(second->stdout_text().find(
                "series helmi: 1 notifications came due while the daemon was down and are too "
                "late to send (missed)"),
            std::string::npos)
      << second->stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
