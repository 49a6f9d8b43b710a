// A session deleted from its file after its invitation went out: the real
// `kutsu serve` says so at the reload, and after `cancel_delay` sends a
// cancellation (METHOD:CANCEL, SEQUENCE raised) to everyone invited. A
// deletion undone within the delay sends nothing at all.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

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
  std::string config = testing::daemon_config(dir.path(), smtp.url());
  config.replace(config.find("[daemon]\n"), 9, "[daemon]\ncancel_delay = \"PT4S\"\n");
  ServeProcess serve(dir.write("kutsu.toml", config));
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

}  // namespace
}  // namespace kutsu::daemon
