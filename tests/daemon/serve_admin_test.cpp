// The admin API of a real `kutsu serve`, asked with a real HTTP client: what
// was sent and what failed (with the SMTP server's reply), a retry that
// sends again, the .ics feed, /metrics, and a reload through the API with a
// broken file. The routes' every status and error are in tests/admin; this
// is the daemon answering them with its own outbox, catalog and dispatcher.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include <boost/json.hpp>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/fixtures/http_client.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::HttpClient;
using testing::Instant;
using testing::ServeProcess;
namespace json = boost::json;

constexpr std::string_view kToken = "s3cret-admin-token";

class ServeAdminTest : public ::testing::Test {
 protected:
  ServeAdminTest()
      : smtp_(kutsu::testing::SmtpServer::Options{.rcpt_reply = "550 5.1.1 No such user here",
                                                  .rcpt_reply_for = "osallistuja2@example.org"}) {}

  std::filesystem::path start_series() {
    dir_.write("series.d/pian.csv", testing::participants_csv(2));
    return dir_.write("series.d/pian.toml", good_series_);
  }
  std::filesystem::path write_config() {
    dir_.write("admin-token", std::string(kToken) + "\n");
    return dir_.write("kutsu.toml", testing::daemon_config(dir_.path(), smtp_.url(),
                                                           "token_file = \"admin-token\"\n"));
  }
  json::value get_json(HttpClient& client, const std::string& target, int status = 200) {
    Result<kutsu::testing::HttpReply> reply = client.get(target, HttpClient::bearer(kToken));
    if (!reply) {
      ADD_FAILURE() << target << ": " << reply.error().message;
      return nullptr;
    }
    EXPECT_EQ(reply->status, status) << target << ": " << reply->body;
    EXPECT_EQ(reply->header("content-type"), "application/json") << target;
    return json::parse(reply->body);
  }
  // The outbox records outcomes in batches a few milliseconds after the
  // send; the API answers from the outbox. Asks until `done` or 5 s.
  json::value get_json_until(HttpClient& client, const std::string& target,
                             const std::function<bool(const json::value&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    json::value answer = get_json(client, target);
    while (!done(answer) && std::chrono::steady_clock::now() < deadline) {
      answer = get_json(client, target);
    }
    return answer;
  }

  kutsu::testing::SmtpServer smtp_;
  testing::TempDir dir_;
  const Instant start_ = testing::seconds_from_now(7s);
  const std::string good_series_ = testing::series_toml({{"eka", start_}}, "PT6S");
};

TEST_F(ServeAdminTest, ShowsWhatWasSentAndWhatFailedRetriesAndReloads) {
  start_series();
  ServeProcess serve(write_config());
  ASSERT_NE(serve.admin_port(), 0) << serve.process().stdout_text();
  HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));

  // Osallistuja 1 gets the invitation and the reminder; osallistuja 2's are refused.
  ASSERT_TRUE(smtp_.next_message(15s));
  ASSERT_TRUE(smtp_.next_message(5s));
  // The refusals may be recorded before the last acceptance: wait for both.
  const json::value status = get_json_until(client, "/api/v1/status", [](const json::value& s) {
    return s.at("counts").at("failed").as_int64() == 2 && s.at("counts").at("sent").as_int64() == 2;
  });
  EXPECT_EQ(status.at("counts").at("sent"), 2);
  EXPECT_EQ(status.at("counts").at("failed"), 2);
  EXPECT_EQ(status.at("counts").at("pending"), 0);
  EXPECT_EQ(status.at("series_count"), 1);
  EXPECT_EQ(status.at("last_reload").at("ok"), true);

  // Without the token: 401, and nothing about the outbox.
  Result<kutsu::testing::HttpReply> anonymous = client.get("/api/v1/status");
  ASSERT_TRUE(anonymous.ok()) << anonymous.error().message;
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->body.find("counts"), std::string::npos);

  const json::value series = get_json(client, "/api/v1/series");
  ASSERT_EQ(series.at("series").as_array().size(), 1u);
  EXPECT_EQ(series.at("series").at(0).at("id"), "pian");
  EXPECT_EQ(series.at("series").at(0).at("title"), "Pian alkavat webinaarit");

  // The failures, with the server's own reply.
  const json::value failed = get_json(client, "/api/v1/notifications?state=failed");
  const json::array& rows = failed.at("notifications").as_array();
  ASSERT_EQ(rows.size(), 2u);
  for (const json::value& row : rows) {
    EXPECT_EQ(row.at("recipient"), "osallistuja2@example.org");
  }
  const std::string id(rows[0].at("id").as_string());
  const json::value detail = get_json(client, "/api/v1/notifications/" + id);
  ASSERT_EQ(detail.at("history").as_array().size(), 1u);
  EXPECT_EQ(detail.at("history").at(0).at("outcome"), "permanent");
  EXPECT_EQ(detail.at("history").at(0).at("code"), 550);
  EXPECT_NE(std::string(detail.at("history").at(0).at("detail").as_string()).find("No such user"),
            std::string::npos)
      << detail;

  // Retry: pending at once, sent again (and refused again) by the dispatcher.
  Result<kutsu::testing::HttpReply> retried =
      client.post("/api/v1/notifications/" + id + "/retry", HttpClient::bearer(kToken));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->status, 200) << retried->body;
  EXPECT_EQ(json::parse(retried->body).at("state"), "pending");
  const json::value again =
      get_json_until(client, "/api/v1/notifications/" + id,
                     [](const json::value& n) { return n.at("history").as_array().size() == 2; });
  EXPECT_EQ(again.at("history").as_array().size(), 2u);
  EXPECT_EQ(again.at("state"), "failed");

  // The feed a calendar app subscribes to: no token needed.
  Result<kutsu::testing::HttpReply> feed = client.get("/series/pian.ics");
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  EXPECT_EQ(feed->status, 200);
  EXPECT_EQ(feed->header("content-type"), "text/calendar; charset=utf-8");
  const json::value calendar = kutsu::testing::inspect_calendar(feed->body);
  EXPECT_EQ(calendar.at("method"), "PUBLISH");
  ASSERT_EQ(calendar.at("events").as_array().size(), 1u);
  EXPECT_EQ(calendar.at("events").at(0).at("uid"), "eka.pian@kutsu.invalid");

  Result<kutsu::testing::HttpReply> metrics = client.get("/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.error().message;
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(
      metrics->body.find("kutsu_delivery_attempts_total{channel=\"email\",result=\"sent\"} 2\n"),
      std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find(
                "kutsu_delivery_attempts_total{channel=\"email\",result=\"permanent\"} 3\n"),
            std::string::npos)
      << metrics->body;

  // A broken file through the API: the error with its place, the old version kept.
  const int last_line =
      static_cast<int>(std::count(good_series_.begin(), good_series_.end(), '\n')) + 1;
  dir_.write("series.d/pian.toml", good_series_ + "otsikko = \"kirjoitusvirhe\"\n");
  Result<kutsu::testing::HttpReply> reload =
      client.post("/api/v1/reload", HttpClient::bearer(kToken));
  ASSERT_TRUE(reload.ok()) << reload.error().message;
  EXPECT_EQ(reload->status, 200) << reload->body;
  const json::value report = json::parse(reload->body);
  EXPECT_EQ(report.at("ok"), false);
  ASSERT_EQ(report.at("files").as_array().size(), 1u);
  const json::value& file = report.at("files").at(0);
  EXPECT_EQ(file.at("series"), "pian");
  EXPECT_EQ(file.at("kept_previous"), true);
  ASSERT_EQ(file.at("errors").as_array().size(), 1u);
  EXPECT_NE(
      std::string(file.at("errors").at(0).as_string())
          .find("pian.toml:" + std::to_string(last_line) + ":1: error: unknown key 'otsikko'"),
      std::string::npos)
      << file;
  EXPECT_EQ(get_json(client, "/api/v1/status").at("last_reload").at("ok"), false);
  EXPECT_EQ(get_json(client, "/api/v1/series").at("series").as_array().size(), 1u);

  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
