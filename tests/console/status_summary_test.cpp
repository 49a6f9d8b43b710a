// format_status_summary: what `kutsu status` prints from the admin API's
// answers (admin-api.md shapes, written here by hand as a daemon sends them),
// compared line by line with what an admin reads.
#include <gtest/gtest.h>

#include <string>

#include <boost/json/parse.hpp>

#include "console/status_summary.h"

namespace kutsu::console {
namespace {

namespace json = boost::json;

constexpr std::string_view kCountsZero =
    R"({"pending":0,"sending":0,"retrying":0,"sent":0,"failed":0,"missed":0,"superseded":0})";

std::string counts(int pending, int sent, int failed, int missed) {
  return R"({"pending":)" + std::to_string(pending) + R"(,"sending":0,"retrying":0,"sent":)" +
         std::to_string(sent) + R"(,"failed":)" + std::to_string(failed) + R"(,"missed":)" +
         std::to_string(missed) + R"(,"superseded":0})";
}

std::string status_json(const std::string& counts_json, const std::string& extra = "",
                        const std::string& last_reload = "") {
  const std::string reload =
      last_reload.empty()
          ? R"({"at":"2026-01-19T07:00:00Z","error":null,"removed":[],"files":[{"file":"/srv/a.toml","series":"webinaarit","ok":true,"changed":true,"kept_previous":false,"errors":[],"notices":[]}]})"
          : last_reload;
  return R"({"version":"0.9.0","now":"2026-01-19T09:05:30Z","started_at":"2026-01-19T07:00:00Z","counts":)" +
         counts_json + extra + R"(,"last_reload":)" + reload + "}";
}

constexpr std::string_view kOneSeries = R"({"series":[{
  "id":"webinaarit","title":"Webinaarit 2026","timezone":"Europe/Helsinki",
  "sessions":4,"cancelled_sessions":1,
  "next_session":{"id":"ilta1","title":"Ilta 1","start_local":"2026-02-02T18:00:00+02:00",
                  "end_local":"2026-02-02T19:30:00+02:00","cancelled":false},
  "counts":)" R"({"pending":3,"sending":0,"retrying":0,"sent":2,"failed":1,"missed":0,"superseded":0}}]})";

std::string notification(const std::string& state, const std::string& due,
                         const std::string& due_local, const std::string& recipient,
                         const std::string& last_result = "null") {
  return R"({"id":"0123456789abcdef0123456789abcdef","series":"webinaarit","session":"ilta1",)"
         R"("kind":"reminder","offset":"PT1H","channel":"email","recipient":")" +
         recipient + R"(","state":")" + state + R"(","due":")" + due + R"(","due_local":)" +
         due_local + R"(,"last_result":)" + last_result + "}";
}

std::string page(const std::string& rows) { return R"({"notifications":[)" + rows + "]}"; }

StatusAnswers answers(const std::string& status, std::string_view series,
                      const std::string& pending, const std::string& failed = page(""),
                      const std::string& missed = page("")) {
  return StatusAnswers{"http://127.0.0.1:8425", json::parse(status),  json::parse(series),
                       json::parse(pending),    json::parse(failed), json::parse(missed)};
}

TEST(StatusSummary, ShowsUptimeCountsSeriesNextSendsFailuresAndTheLastReload) {
  const std::string pending =
      page(notification("pending", "2026-02-02T15:00:00Z", R"("2026-02-02T17:00:00+02:00")",
                        "aino@example.org") +
           "," +
           notification("pending", "2026-02-02T15:00:00Z", R"("2026-02-02T17:00:00+02:00")",
                        "ville.virtanen@example.org"));
  const std::string failed = page(notification("failed", "2026-01-19T08:00:00Z", "null",
                                               "x@example.org", R"("550 5.1.1 no such user")"));
  Result<std::string> summary =
      format_status_summary(answers(status_json(counts(3, 2, 1, 0)), kOneSeries, pending, failed));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(*summary,
            "kutsu 0.9.0 at http://127.0.0.1:8425, up 2 h 5 min (since Mon 2026-01-19 07:00:00 "
            "UTC; daemon time Mon 2026-01-19 09:05:30 UTC)\n"
            "Notifications: pending 3, sending 0, retrying 0, sent 2, failed 1, missed 0, "
            "superseded 0\n"
            "\n"
            "Series (1 loaded)\n"
            "  Webinaarit 2026 (webinaarit, Europe/Helsinki, 4 sessions, 1 cancelled)\n"
            "    next session: Mon 2026-02-02 18:00–19:30 +02:00  Ilta 1\n"
            "    pending 3, sent 2, failed 1\n"
            "\n"
            "Next sends (2 of 3 pending)\n"
            "  Mon 2026-02-02 17:00 +02:00  reminder PT1H  email  aino@example.org            "
            "(webinaarit / ilta1)\n"
            "  Mon 2026-02-02 17:00 +02:00  reminder PT1H  email  ville.virtanen@example.org  "
            "(webinaarit / ilta1)\n"
            "\n"
            "Failures (1 failed, 0 missed)\n"
            "  Mon 2026-01-19 08:00 UTC  reminder PT1H  email  x@example.org  (webinaarit / ilta1)\n"
            "      failed: 550 5.1.1 no such user\n"
            "\n"
            "Last reload Mon 2026-01-19 07:00:00 UTC: 1 file, all loaded\n");
}

TEST(StatusSummary, SaysFirstWhenTheOutboxIsUnavailableAndWhichSeriesWait) {
  const std::string store =
      R"j(,"store":{"ok":false,"problem":"the disk is full (SQLITE_FULL)","series_waiting":["webinaarit","kokoukset"]})j";
  Result<std::string> summary =
      format_status_summary(answers(status_json(std::string(kCountsZero), store),
                                    R"({"series":[]})", page("")));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_NE(summary->find("\nOUTBOX UNAVAILABLE, nothing is sent: the disk is full "
                          "(SQLITE_FULL)\nSeries waiting to be stored: webinaarit, kokoukset\n"),
            std::string::npos)
      << *summary;
  EXPECT_NE(summary->find("Series (0 loaded)\n  none\n"), std::string::npos);
  EXPECT_NE(summary->find("Next sends\n  nothing is pending\n"), std::string::npos);
}

TEST(StatusSummary, AHealthyOutboxSaysNothingAboutTheStore) {
  Result<std::string> summary = format_status_summary(
      answers(status_json(std::string(kCountsZero), R"(,"store":{"ok":true,"problem":null})"),
              R"({"series":[]})", page("")));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->find("OUTBOX"), std::string::npos) << *summary;
}

TEST(StatusSummary, NodesOnOnePostgresqlOutboxAreListedWithTheOnesOnOtherVersions) {
  const std::string nodes =
      R"(,"node":"kutsu-a","nodes_with_other_versions":["kutsu-c"],"nodes":[)"
      R"({"name":"kutsu-a","this_node":true,"heartbeat_at":"2026-01-19T09:05:29Z","started_at":"2026-01-19T07:00:00Z","series_versions":{"webinaarit":"ab"},"versions_differ":false},)"
      R"({"name":"kutsu-b2","this_node":false,"heartbeat_at":"2026-01-19T09:05:26Z","started_at":"2026-01-19T07:00:00Z","series_versions":{"webinaarit":"ab"},"versions_differ":false},)"
      R"({"name":"kutsu-c","this_node":false,"heartbeat_at":"2026-01-19T09:03:30Z","started_at":"2026-01-19T07:00:00Z","series_versions":{"webinaarit":"cd"},"versions_differ":true}])";
  Result<std::string> summary = format_status_summary(
      answers(status_json(std::string(kCountsZero), nodes), R"({"series":[]})", page("")));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_NE(summary->find("superseded 0\n"
                          "Nodes sharing the outbox (3)\n"
                          "  kutsu-a   this node\n"
                          "  kutsu-b2  last heard 4 s ago\n"
                          "  kutsu-c   last heard 2 min ago; other versions of the series files than "
                          "this node\n"
                          "  (a deployment is unfinished: until every node has loaded the same files, "
                          "each sends only the rows planned from its own)\n"
                          "\nSeries (0 loaded)\n"),
            std::string::npos)
      << *summary;
}

TEST(StatusSummary, OneNodeSaysNothingAboutNodes) {
  const std::string nodes =
      R"(,"node":"kutsu-a","nodes_with_other_versions":[],"nodes":[)"
      R"({"name":"kutsu-a","this_node":true,"heartbeat_at":"2026-01-19T09:05:29Z","started_at":"2026-01-19T07:00:00Z","series_versions":{},"versions_differ":false}])";
  Result<std::string> summary = format_status_summary(
      answers(status_json(std::string(kCountsZero), nodes), R"({"series":[]})", page("")));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->find("Nodes"), std::string::npos) << *summary;
}

TEST(StatusSummary, ABrokenFileShowsItsErrorsAndWhetherThePreviousVersionStays) {
  const std::string reload =
      R"({"at":"2026-01-19T09:00:00Z","error":null,"removed":["vanha"],"files":[
        {"file":"/srv/a.toml","series":"webinaarit","ok":false,"changed":false,"kept_previous":true,
         "errors":["/srv/a.toml:12:9: error: 'start' is not a date and time"],"notices":[]},
        {"file":"/srv/b.toml","series":"kokoukset","ok":true,"changed":true,"kept_previous":false,
         "errors":[],"notices":["ilta2 removed after the invitation went out"]}]})";
  Result<std::string> summary = format_status_summary(
      answers(status_json(std::string(kCountsZero), "", reload), R"({"series":[]})", page("")));
  ASSERT_TRUE(summary) << summary.error().message;
  const std::string tail = summary->substr(summary->find("Last reload"));
  EXPECT_EQ(tail,
            "Last reload Mon 2026-01-19 09:00:00 UTC: 1 of 2 files did not load\n"
            "  /srv/a.toml:12:9: error: 'start' is not a date and time\n"
            "    (the previous version of the series stays in force)\n"
            "  kokoukset: ilta2 removed after the invitation went out\n"
            "  removed: vanha\n");
}

TEST(StatusSummary, AnAnswerOfAnotherShapeIsAnErrorNamingTheDaemonAndTheField) {
  std::string status = status_json(std::string(kCountsZero));
  status.replace(status.find(R"("version")"), 9, R"("edition")");
  Result<std::string> summary =
      format_status_summary(answers(status, R"({"series":[]})", page("")));
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message,
            "the daemon at http://127.0.0.1:8425 answered in a shape kutsu status does not "
            "know: no \"version\"");
}

TEST(StatusSummary, UptimeIsInWordsAtEveryScale) {
  auto uptime = [](const std::string& now) {
    std::string status = status_json(std::string(kCountsZero));
    status.replace(status.find("2026-01-19T09:05:30Z"), 20, now);
    Result<std::string> summary =
        format_status_summary(answers(status, R"({"series":[]})", page("")));
    if (!summary) return summary.error().message;
    const std::size_t from = summary->find(", up ") + 5;
    return summary->substr(from, summary->find(" (since") - from);
  };
  EXPECT_EQ(uptime("2026-01-19T07:00:42Z"), "42 s");
  EXPECT_EQ(uptime("2026-01-19T07:03:00Z"), "3 min");
  EXPECT_EQ(uptime("2026-01-19T09:00:00Z"), "2 h");
  EXPECT_EQ(uptime("2026-01-20T10:00:00Z"), "1 day 3 h");
  EXPECT_EQ(uptime("2026-01-23T07:00:00Z"), "4 days");
}

}  // namespace
}  // namespace kutsu::console
