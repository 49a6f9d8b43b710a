// GET /metrics, parsed by Prometheus' own text-format parser
// (tests/admin/check_metrics.py) and compared with the store.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/json/serialize.hpp>

#include "admin/metrics.h"
#include "tests/admin/admin_harness.h"
#include "tests/fixtures/child_process.h"

namespace kutsu::admin::testing {
namespace {

namespace json = boost::json;
using kutsu::testing::ChildProcess;
using kutsu::testing::HttpReply;

// What the store and the test daemon say /metrics must show.
json::object expected_metrics(AdminHarness& harness, std::uint64_t reload_errors) {
  json::object expected = harness.on_loop([](TestDaemonView& daemon) {
    store::Outbox& outbox = daemon.outbox();
    json::object notifications;
    for (auto state : store::kAllNotificationStates) {
      for (const char* kind : {"invitation", "reminder", "update", "cancellation"}) {
        notifications[std::string(to_string(state)) + "|" + kind] = 0.0;
      }
    }
    const std::vector<store::KindStateCounts> kinds = outbox.kind_state_counts().value();
    for (const store::KindStateCounts& kind : kinds) {
      for (auto state : store::kAllNotificationStates) {
        notifications[std::string(to_string(state)) + "|" + kind.kind] =
            static_cast<double>(kind.counts[state]);
      }
    }
    store::StateCounts counts = outbox.state_counts().value();
    std::optional<Instant> next_due = outbox.next_due().value();
    return json::object{
        {"notifications", std::move(notifications)},
        {"pending",
         counts[store::NotificationState::pending] + counts[store::NotificationState::retrying]},
        {"next_due",
         next_due ? json::value(next_due->time_since_epoch().count()) : json::value(nullptr)},
    };
  });
  expected["version"] = "0.1.0";
  expected["attempts"] =
      json::object{{"email|sent", 3},   {"email|retry", 1},   {"email|permanent", 1},
                   {"webhook|sent", 0}, {"webhook|retry", 0}, {"webhook|permanent", 0}};
  // Lateness 0.2 s, 1.5 s and 30 s (TestDaemonView).
  expected["lateness"] = json::object{{"buckets", json::object{{"0.005", 0},
                                                               {"0.01", 0},
                                                               {"0.025", 0},
                                                               {"0.05", 0},
                                                               {"0.1", 0},
                                                               {"0.25", 1},
                                                               {"0.5", 1},
                                                               {"1", 1},
                                                               {"2.5", 2},
                                                               {"5", 2},
                                                               {"10", 2},
                                                               {"60", 3},
                                                               {"600", 3},
                                                               {"3600", 3},
                                                               {"+Inf", 3}}},
                                      {"sum", 31.7},
                                      {"count", 3}};
  expected["reload_errors"] = reload_errors;
  expected["series_loaded"] = 1;
  expected["started"] = 1642572000;  // 2022-01-19T06:00:00Z
  expected["store_healthy"] = 1;
  expected["store_errors"] = 0;
  return expected;
}

// Runs check_metrics.py on `body`; its output when it finds a problem.
void expect_parser_agrees(const std::string& body, const json::object& expected) {
  TempDir dir;
  std::ofstream(dir.path() / "metrics.txt") << body;
  std::ofstream(dir.path() / "expected.json") << json::serialize(expected);
  ChildProcess checker(
      {{KUTSU_PYTHON, std::string(KUTSU_SOURCE_DIR) + "/tests/admin/check_metrics.py",
        (dir.path() / "metrics.txt").string(), (dir.path() / "expected.json").string()},
       {},
       std::nullopt,
       "",
       true});
  const int code = checker.wait(std::chrono::seconds(60));
  EXPECT_EQ(code, 0) << checker.stdout_text() << checker.stderr_text() << "\n--- metrics:\n"
                     << body;
  EXPECT_EQ(checker.stdout_text(), "ok\n");
}

TEST(MetricsTest, PrometheusParsesEveryFamilyWithTheStoresFigures) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/metrics").value();
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  expect_parser_agrees(reply.body, expected_metrics(harness, 0));

  // A few lines exactly as the exposition format writes them.
  EXPECT_NE(reply.body.find("# TYPE kutsu_notification_lateness_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(reply.body.find("\nkutsu_build_info{version=\"0.1.0\"} 1\n"), std::string::npos);
  EXPECT_NE(reply.body.find("\nkutsu_notification_lateness_seconds_bucket{le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(reply.body.find("\nkutsu_notification_lateness_seconds_sum 31.7\n"), std::string::npos);
  EXPECT_NE(reply.body.find("\nkutsu_notifications{state=\"sent\",kind=\"invitation\"} 3\n"),
            std::string::npos);
}

TEST(MetricsTest, ReloadErrorsCountBrokenFilesAndNextDueGoesWhenNothingIsDue) {
  AdminHarness harness;
  harness.on_loop([](TestDaemonView& daemon) {
    model::LoadReport report;
    report.at = daemon.now();
    report.files.push_back(
        model::FileReport{"/x/a.toml", "a", false, false, true, {"/x/a.toml:1:1: error: x"}});
    report.files.push_back(model::FileReport{
        "/x/b.toml", std::nullopt, false, false, false, {"/x/b.toml:2:1: error: y"}});
    daemon.set_reload_report(report);
    // Nothing left to send.
    std::vector<std::string> open;
    store::NotificationQuery query;
    query.limit = 1000;
    const store::NotificationPage page = daemon.outbox().list(query).value();
    for (const store::NotificationRow& row : page.rows) {
      if (row.state == store::NotificationState::pending ||
          row.state == store::NotificationState::retrying) {
        open.push_back(row.id);
      }
    }
    return daemon.outbox().mark_missed(open, daemon.now()).value();
  });
  auto client = harness.client();
  ASSERT_EQ(client.post("/api/v1/reload", AdminHarness::auth()).value().status, 200);
  HttpReply reply = client.get("/metrics").value();
  ASSERT_EQ(reply.status, 200);
  json::object expected = expected_metrics(harness, 2);
  ASSERT_TRUE(expected.at("next_due").is_null());
  expect_parser_agrees(reply.body, expected);
  EXPECT_EQ(reply.body.find("kutsu_next_due_timestamp_seconds"), std::string::npos);
}

TEST(MetricsFormatTest, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

}  // namespace
}  // namespace kutsu::admin::testing
