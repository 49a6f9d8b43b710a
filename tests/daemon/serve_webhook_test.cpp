// Webhooks through the real `kutsu serve`: signed per Standard Webhooks,
// retried after a 503 on the [delivery] backoff with the same webhook-id,
// and sent once the receiver says 200.
#include <gtest/gtest.h>

#include <date/date.h>
#include <date/tz.h>
#include <boost/json.hpp>

#include <csignal>
#include <map>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/http_receiver.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::string webhook_series(testing::Instant start) {
  return "id = \"tiimi-sarja\"\n"
         "title = \"Tiimin muistutukset\"\n"
         "timezone = \"Europe/Helsinki\"\n"
         "organiser = { name = \"Järjestäjä\", email = \"webinaarit@example.org\" }\n"
         "join_url = \"https://example.org/liity\"\n"
         "webhooks = [\"tiimi\"]\n\n"
         "[[reminder]]\n"
         "before = \"PT5S\"\n"
         "channels = [\"webhook\"]\n\n"
         "[[session]]\n"
         "id = \"eka\"\n"
         "title = \"Eka\"\n"
         "start = " +
         date::format("%FT%T", date::make_zoned("Europe/Helsinki", start).get_local_time()) +
         "\n"
         "duration = \"PT1H\"\n";
}

TEST(ServeWebhookTest, ARetriedWebhookKeepsItsIdAndIsSignedEveryTime) {
  kutsu::testing::HttpReceiver receiver({.statuses = "503,200", .secret = kSecret});
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const testing::Instant start = testing::seconds_from_now(7s);
  const auto series = dir.write("series.d/tiimi-sarja.toml", webhook_series(start));
  dir.write("tiimi.secret", std::string(kSecret) + "\n");
  const auto config = dir.write(
      "kutsu.toml", testing::daemon_config(dir.path(), smtp.url()) +
                        "\n[[webhook]]\nname = \"tiimi\"\nurl = \"" + receiver.url() +
                        "\"\nsecret_file = \"tiimi.secret\"\n\n[delivery]\nbackoff = [\"PT1S\"]\n");
  const auto dues = testing::planned_dues(series);
  ASSERT_EQ(dues.size(), 1u);
  const std::string id = dues.begin()->first;

  testing::ServeProcess serve(config);
  auto first = receiver.next_request(15s);
  ASSERT_TRUE(first) << serve.process().stdout_text();
  const auto first_at = std::chrono::system_clock::now();
  auto second = receiver.next_request(10s);
  ASSERT_TRUE(second) << serve.process().stdout_text();
  const auto second_at = std::chrono::system_clock::now();

  for (const auto* request : {&*first, &*second}) {
    EXPECT_EQ(request->method, "POST");
    EXPECT_EQ(request->headers.at("webhook-id"), id);
    EXPECT_EQ(request->signature_ok, true);
    const boost::json::value body = boost::json::parse(request->body);
    EXPECT_EQ(body.at("type").as_string(), "reminder");
    EXPECT_EQ(body.at("id").as_string(), id);
  }
  EXPECT_EQ(first->answer, "503");
  EXPECT_EQ(second->answer, "200");
  EXPECT_GE(first_at, dues.begin()->second);
  // Backoff PT1S from the second the 503 came back in.
  EXPECT_GE(second_at - first_at, 500ms);
  EXPECT_LT(second_at - first_at, 2500ms);
  EXPECT_EQ(receiver.next_request(1500ms), std::nullopt) << "sent again after a 200";
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

std::string helsinki(testing::Instant at, const char* format) {
  return date::format(format, date::make_zoned("Europe/Helsinki", at));
}

// Two sessions an hour and a day away; the invitation went out a minute ago
// (sent late at start). `moved` moves the first by 30 min and cancels the
// second.
std::string invited_series(testing::Instant invited, testing::Instant start, bool moved) {
  const testing::Instant eka = moved ? start + 30min : start;
  return "id = \"tiimi-sarja\"\n"
         "title = \"Tiimin muistutukset\"\n"
         "timezone = \"Europe/Helsinki\"\n"
         "organiser = { name = \"Järjestäjä\", email = \"webinaarit@example.org\" }\n"
         "join_url = \"https://example.org/liity\"\n"
         "webhooks = [\"tiimi\"]\n\n"
         "[invitation]\nsend_at = " + helsinki(invited, "%FT%T") + "\n\n"
         "[[session]]\nid = \"eka\"\ntitle = \"Eka\"\nstart = " + helsinki(eka, "%FT%T") +
         "\nduration = \"PT1H\"\n\n"
         "[[session]]\nid = \"toka\"\ntitle = \"Toka\"\nstart = " +
         helsinki(start + 24h, "%FT%T") + "\nduration = \"PT1H\"\n" +
         (moved ? "cancelled = true\n" : "");
}

// issue #16: an update says where the session was (as the e-mail does), and
// an update's or cancellation's `due` is the reload that planned it, not a
// second after the invitation (which made it look a minute late here).
TEST(ServeWebhookTest, UpdateAndCancellationAreDueAtTheReloadAndTheUpdateSaysWhereItWas) {
  kutsu::testing::HttpReceiver receiver({.statuses = "200", .secret = kSecret});
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const testing::Instant invited = testing::seconds_from_now(-60s);
  const testing::Instant start = testing::seconds_from_now(1h);
  dir.write("series.d/tiimi-sarja.toml", invited_series(invited, start, false));
  dir.write("tiimi.secret", std::string(kSecret) + "\n");
  const auto config = dir.write(
      "kutsu.toml", testing::daemon_config(dir.path(), smtp.url()) +
                        "\n[[webhook]]\nname = \"tiimi\"\nurl = \"" + receiver.url() +
                        "\"\nsecret_file = \"tiimi.secret\"\n");
  testing::ServeProcess serve(config);
  auto invitation = receiver.next_request(15s);
  ASSERT_TRUE(invitation) << serve.process().stdout_text();
  const std::string invitation_id = invitation->headers.at("webhook-id");
  ASSERT_TRUE(serve.wait_for("sent " + invitation_id, 10s)) << serve.process().stdout_text();

  dir.write("series.d/tiimi-sarja.toml", invited_series(invited, start, true));
  const std::string reloaded = date::format(
      "%FT%TZ", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  serve.process().send_signal(SIGHUP);
  std::map<std::string, boost::json::object> notices;
  for (int i = 0; i < 2; ++i) {
    auto request = receiver.next_request(15s);
    ASSERT_TRUE(request) << serve.process().stdout_text();
    EXPECT_EQ(request->signature_ok, true);
    boost::json::object body = boost::json::parse(request->body).as_object();
    notices[std::string(body.at("type").as_string())] = body;
  }
  const std::string now = date::format(
      "%FT%TZ", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  ASSERT_TRUE(notices.contains("update") && notices.contains("cancellation"));
  const boost::json::object& update = notices["update"];
  EXPECT_EQ(update.at("session").at("id"), "eka");
  EXPECT_EQ(update.at("session").at("start").as_string(), helsinki(start + 30min, "%FT%T%Ez"));
  EXPECT_EQ(boost::json::serialize(update.at("previous")),
            boost::json::serialize(boost::json::object{{"start", helsinki(start, "%FT%T%Ez")},
                                                       {"end", helsinki(start + 1h, "%FT%T%Ez")}}));
  EXPECT_EQ(notices["cancellation"].at("session").at("id"), "toka");
  for (const auto& [type, body] : notices) {
    const std::string due(body.at("due").as_string());
    EXPECT_GE(due, reloaded) << type << " due before the reload that planned it";
    EXPECT_LE(due, now) << type;
  }
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
