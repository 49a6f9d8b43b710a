// A session deleted from its file after its invitation went out: the real
// `kutsu serve` says so at the reload, and after `cancel_delay` sends a
// cancellation (METHOD:CANCEL, SEQUENCE raised) to everyone invited. A
// deletion undone within the delay sends nothing at all. A whole series
// called off with `cancelled = true` cancels every session for those
// invited, and tells no one when no one was invited yet.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "tests/daemon/kutsu_cli.h"
#include "tests/daemon/serve_support.h"
#include "tests/fixtures/email_inspection.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;

TEST(ServeDeletedSession, IsCancelledAfterTheDelayAndAnUndoneDeletionSendsNothing) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant eka = testing::seconds_from_now(1h);
  const Instant toka = eka + 1h;
  const Instant kolmas = eka + 2h;
  dir.write("series.d/pian.csv", testing::participants_csv(2));
  const auto write = [&](const std::vector<testing::SessionAt>& sessions) {
    return dir.write("series.d/pian.toml", testing::series_toml(sessions, "PT59M58S"));
  };
  write({{"eka", eka}, {"toka", toka}, {"kolmas", kolmas}});
  const auto token = dir.write("admin-token", "kutsu-test-token-0123456789\n");
  std::string config = testing::daemon_config(dir.path(), smtp.url(), "token_file = \"" + token.string() + "\"\n");
  config.replace(config.find("[daemon]\n"), 9, "[daemon]\ncancel_delay = \"PT4S\"\n");
  const auto config_file = dir.write("kutsu.toml", config);
  ServeProcess serve(config_file);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(smtp.next_message(20s)) << "invitation " << i << "\n" << serve.process().stdout_text();
  }

  // Two sessions deleted; one of them is back before the delay is over.
  write({{"eka", eka}});
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> said = serve.wait_for("removed after the invitation went out", 10s);
  ASSERT_TRUE(said) << serve.process().stdout_text();
  EXPECT_NE(said->find("kolmas, toka removed after the invitation went out; 4 cancellations will "
                       "be sent at "),
            std::string::npos)
      << *said;
  ASSERT_TRUE(serve.wait_for("load in force", 10s)) << serve.process().stdout_text();
  // The reload's answer says it too, where `kutsu status` shows it.
  const auto status = testing::run_kutsu({"status", "--config", config_file.string()});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("  pian: kolmas, toka removed after the invitation went out; 4 cancellations "
                            "will be sent at "),
            std::string::npos)
      << status.out;
  write({{"eka", eka}, {"kolmas", kolmas}});
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> again = serve.wait_for("removed after the invitation went out", 10s);
  ASSERT_TRUE(again) << serve.process().stdout_text();
  EXPECT_NE(again->find("toka removed after the invitation went out; 2 cancellations"),
            std::string::npos)
      << *again;

  // After the delay: one cancellation of "toka" for each person, nothing else.
  std::map<std::string, int> cancelled;
  for (int i = 0; i < 2; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(15s);
    ASSERT_TRUE(message) << serve.process().stdout_text();
    ++cancelled[message->rcpt_tos.at(0)];
    const boost::json::value mail = kutsu::testing::inspect_email(message->data);
    const boost::json::object& calendar = mail.at("calendars").as_array().at(0).as_object();
    EXPECT_EQ(calendar.at("method"), "CANCEL");
    const boost::json::array& events = calendar.at("events").as_array();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("uid"), "toka.pian@kutsu.invalid");
    EXPECT_EQ(events[0].at("summary"), "Istunto toka");
    EXPECT_EQ(events[0].at("status"), "CANCELLED");
    EXPECT_EQ(events[0].at("sequence"), 1);
  }
  EXPECT_EQ(cancelled.size(), 2u);
  // "kolmas" came back in time: no cancellation, no update.
  EXPECT_EQ(smtp.next_message(3s), std::nullopt);
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

// `cancelled = true` after the first line of the series file.
std::string called_off(std::string toml) {
  const std::size_t line_end = toml.find('\n');
  return toml.insert(line_end + 1, "cancelled = true\n");
}

TEST(ServeCancelledSeries, ThoseInvitedHearEverySessionIsCancelledAndNoReminderFollows) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant eka = testing::seconds_from_now(1h);
  dir.write("series.d/pian.csv", testing::participants_csv(2));
  const std::string toml = testing::series_toml({{"eka", eka}, {"toka", eka + 1h}}, "PT59M58S");
  dir.write("series.d/pian.toml", toml);
  ServeProcess serve(dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url())));
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(smtp.next_message(20s)) << "invitation " << i << "\n" << serve.process().stdout_text();
  }

  dir.write("series.d/pian.toml", called_off(toml));
  serve.process().send_signal(SIGHUP);
  std::map<std::string, int> cancelled;  // session uid → people told
  for (int i = 0; i < 4; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(15s);
    ASSERT_TRUE(message) << serve.process().stdout_text();
    const boost::json::value mail = kutsu::testing::inspect_email(message->data);
    const boost::json::object& calendar = mail.at("calendars").as_array().at(0).as_object();
    EXPECT_EQ(calendar.at("method"), "CANCEL");
    const boost::json::object& event = calendar.at("events").as_array().at(0).as_object();
    EXPECT_EQ(event.at("status"), "CANCELLED");
    ++cancelled[std::string(event.at("uid").as_string())];
  }
  EXPECT_EQ(cancelled, (std::map<std::string, int>{{"eka.pian@kutsu.invalid", 2}, {"toka.pian@kutsu.invalid", 2}}));
  EXPECT_EQ(smtp.next_message(3s), std::nullopt) << "no reminder, nothing twice";
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

TEST(ServeCancelledSeries, CalledOffBeforeTheInvitationSendsNothing) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant eka = testing::seconds_from_now(1h);
  dir.write("series.d/pian.csv", testing::participants_csv(2));
  dir.write("series.d/pian.toml",
            called_off(testing::series_toml({{"eka", eka}}, "PT59M58S")));
  ServeProcess serve(dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url())));
  // The invitation would have been due two seconds after the start.
  EXPECT_EQ(smtp.next_message(5s), std::nullopt) << serve.process().stdout_text();
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
