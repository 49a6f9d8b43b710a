// GET /healthz, /, /api/v1/status, /api/v1/series, /api/v1/series/{id} and
// /series/{id}.ics against a real AdminServer over a real outbox.
#include <gtest/gtest.h>

#include <map>

#include <date/tz.h>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

namespace json = boost::json;
using kutsu::testing::HttpReply;

// The notification row as the store has it, read on the loop.
store::NotificationRow row_of(AdminHarness& harness, const std::string& id) {
  return harness.on_loop(
      [&](TestDaemonView& daemon) { return daemon.outbox().find(id).value()->row; });
}

json::object counts_of(AdminHarness& harness, std::optional<std::string> session = std::nullopt) {
  return harness.on_loop([&](TestDaemonView& daemon) {
    store::StateCounts counts =
        session ? daemon.outbox().state_counts(daemon.example().id, *session).value()
                : daemon.outbox().state_counts().value();
    json::object object;
    for (auto state : store::kAllNotificationStates) object[to_string(state)] = counts[state];
    return object;
  });
}

std::string first_pending_id(AdminHarness& harness) {
  return harness.on_loop([](TestDaemonView& daemon) {
    std::vector<store::NotificationRow> rows;
    store::NotificationQuery query;
    query.limit = 1000;
    const store::NotificationPage page = daemon.outbox().list(query).value();
    for (const store::NotificationRow& row : page.rows) {
      if (row.state == store::NotificationState::pending) return row.id;
    }
    return std::string();
  });
}

TEST(AdminStatusTest, HealthzAnswersOkWithoutAToken) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/healthz").value();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_EQ(reply.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
}

TEST(AdminStatusTest, RootServesTheStatusPage) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/").value();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(reply.body.find("<html"), std::string::npos) << reply.body.substr(0, 200);
}

TEST(AdminStatusTest, StatusShowsCountsNextDueAndLastReload) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/api/v1/status", AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  json::object body = json_body(reply).as_object();

  EXPECT_EQ(body.size(), 11u) << reply.body;
  // The nodes sharing the outbox: on SQLite this one, with the versions it
  // sends from, and none differing.
  EXPECT_EQ(body.at("node"), "local");
  const json::array& nodes = body.at("nodes").as_array();
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].at("name"), "local");
  EXPECT_EQ(nodes[0].at("this_node"), true);
  EXPECT_EQ(nodes[0].at("versions_differ"), false);
  EXPECT_EQ(body.at("nodes_with_other_versions"), json::array{});
  EXPECT_EQ(body.at("store"), (json::object{{"ok", true},
                                            {"problem", nullptr},
                                            {"errors", 0},
                                            {"series_waiting", json::array{}}}));
  EXPECT_EQ(body.at("version"), "0.1.0");
  EXPECT_EQ(body.at("started_at"), "2022-01-19T06:00:00Z");
  EXPECT_EQ(body.at("now"), "2022-01-20T12:00:00Z");
  EXPECT_EQ(body.at("series_count"), 1);

  const json::object& counts = body.at("counts").as_object();
  EXPECT_EQ(counts, counts_of(harness));
  EXPECT_EQ(counts.at("sent"), 3);
  EXPECT_EQ(counts.at("retrying"), 1);
  EXPECT_EQ(counts.at("failed"), 1);
  EXPECT_EQ(counts.at("sending"), 1);
  EXPECT_EQ(counts.at("missed"), 1);
  EXPECT_EQ(counts.at("superseded"), 1);
  EXPECT_GT(counts.at("pending").as_int64(), 100);
  // The order admin-api.md lists the states in.
  std::vector<std::string> keys;
  for (const auto& entry : counts) keys.emplace_back(entry.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"pending", "sending", "retrying", "sent", "failed",
                                            "missed", "superseded"}));

  // The earliest pending: an invitation not claimed yet (they were claimed
  // in id order), due 2022-01-19 09:00 in Helsinki.
  const json::object& next = body.at("next_due").as_object();
  EXPECT_EQ(next.at("kind"), "invitation");
  EXPECT_TRUE(next.at("session").is_null());
  EXPECT_EQ(next.at("due"), "2022-01-19T07:00:00Z");
  EXPECT_EQ(next.at("due_local"), "2022-01-19T09:00:00+02:00");
  EXPECT_EQ(next.at("state"), "pending");
  EXPECT_GT(std::string(next.at("id").as_string()), harness.ids().sending);
  EXPECT_EQ(next.at("id"), json::value(first_pending_id(harness)));

  const json::object& reload = body.at("last_reload").as_object();
  EXPECT_EQ(reload.at("at"), "2022-01-19T06:00:00Z");
  EXPECT_EQ(reload.at("ok"), true);
  EXPECT_TRUE(reload.at("error").is_null());
  EXPECT_EQ(reload.at("removed"), json::array{});
  ASSERT_EQ(reload.at("files").as_array().size(), 1u);
  EXPECT_EQ(reload.at("files").at(0),
            (json::object{{"file", TestDaemonView::example_file().string()},
                          {"series", "aluevaltuutetut-2022"},
                          {"ok", true},
                          {"changed", true},
                          {"kept_previous", false},
                          {"errors", json::array{}},
                          {"notices", json::array{}}}));
}

TEST(AdminStatusTest, NotificationObjectHasEveryFieldOfTheRow) {
  AdminHarness harness;
  const std::string id = harness.ids().retrying;
  const store::NotificationRow row = row_of(harness, id);
  HttpReply reply =
      harness.client().get("/api/v1/notifications/" + id, AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  json::object body = json_body(reply).as_object();
  body.erase("history");
  EXPECT_EQ(body, (json::object{{"id", id},
                                {"series", "aluevaltuutetut-2022"},
                                {"session", nullptr},
                                {"kind", "invitation"},
                                {"offset", nullptr},
                                {"channel", "email"},
                                {"recipient", row.recipient},
                                {"due", "2022-01-19T07:00:00Z"},
                                {"due_local", "2022-01-19T09:00:00+02:00"},
                                {"state", "retrying"},
                                {"attempts", 1},
                                {"next_attempt_at", "2022-01-19T08:00:02Z"},
                                {"last_result", *row.last_result},
                                {"sent_at", nullptr},
                                {"updated_at", "2022-01-19T07:00:02Z"}}))
      << reply.body;
  EXPECT_NE(row.recipient.find('@'), std::string::npos);
}

TEST(AdminStatusTest, SeriesListShowsEachSeriesWithItsNextSession) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/api/v1/series", AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json::value body = json_body(reply);
  const json::array& list = body.at("series").as_array();
  ASSERT_EQ(list.size(), 1u);
  const json::object& series = list.at(0).as_object();
  EXPECT_EQ(series.at("id"), "aluevaltuutetut-2022");
  EXPECT_EQ(series.at("title"), "Uusien aluevaltuutettujen webinaarisarja");
  EXPECT_EQ(series.at("timezone"), "Europe/Helsinki");
  EXPECT_EQ(series.at("file"), json::value(TestDaemonView::example_file().string()));
  EXPECT_EQ(series.at("language"), "fi");
  EXPECT_EQ(series.at("sessions"), 5);
  EXPECT_EQ(series.at("cancelled_sessions"), 0);
  EXPECT_EQ(series.at("next_session"),
            (json::object{{"id", "verkosto"},
                          {"title", "Valtakunnallisen yhteistyön käynnistäminen"},
                          {"start", "2022-02-02T16:00:00Z"},
                          {"end", "2022-02-02T17:30:00Z"},
                          {"start_local", "2022-02-02T18:00:00+02:00"},
                          {"end_local", "2022-02-02T19:30:00+02:00"},
                          {"cancelled", false}}));
  EXPECT_EQ(series.at("counts"), counts_of(harness));
  EXPECT_EQ(series.at("recurring"), json::array{});
  EXPECT_EQ(series.size(), 10u);
}

TEST(AdminStatusTest, OneSeriesHasItsSessionsInFileOrderWithCounts) {
  AdminHarness harness;
  HttpReply reply =
      harness.client().get("/api/v1/series/aluevaltuutetut-2022", AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  json::object body = json_body(reply).as_object();
  EXPECT_EQ(body.at("id"), "aluevaltuutetut-2022");
  EXPECT_EQ(body.at("timezone"), "Europe/Helsinki");
  EXPECT_EQ(body.at("version"), (json::object{{"content_hash", "sha256:0123abcd"},
                                              {"loaded_at", "2022-01-19T06:00:00Z"},
                                              {"ok", true},
                                              {"errors", json::array{}}}));
  EXPECT_EQ(body.at("counts"), counts_of(harness));

  // Invitations: the three sent, one retrying, one failed, one sending.
  const json::object& invitation = body.at("invitation").at("counts").as_object();
  EXPECT_EQ(invitation.at("sent"), 3);
  EXPECT_EQ(invitation.at("retrying"), 1);
  EXPECT_EQ(invitation.at("failed"), 1);
  EXPECT_EQ(invitation.at("sending"), 1);

  const json::array& sessions = body.at("sessions").as_array();
  std::vector<std::string> ids;
  for (const json::value& session : sessions) ids.emplace_back(session.at("id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"verkosto", "hoitoketjut", "monituottajamalli",
                                           "pelastustoimi", "sanoista-teoiksi"}));
  EXPECT_EQ(sessions.at(0).at("sequence"), 0);
  EXPECT_EQ(sessions.at(1).at("sequence"), 1);
  EXPECT_EQ(sessions.at(4).at("start_local"), "2022-03-26T10:00:00+02:00");
  EXPECT_EQ(sessions.at(4).at("start"), "2022-03-26T08:00:00Z");
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    EXPECT_EQ(sessions.at(i).at("counts"), counts_of(harness, ids[i])) << ids[i];
  }
  EXPECT_EQ(sessions.at(0).at("counts").at("missed"), 1);
  EXPECT_EQ(sessions.at(4).at("counts").at("superseded"), 1);
}

// "load": what is still to send on each of the next 28 days in Helsinki,
// from the 20th of January (the fixed now, 14:00 there). Counted here from
// the rows themselves, one by one, beside the figures the plan gives.
TEST(AdminStatusTest, OneSeriesHasItsLoadPerLocalDayForFourWeeks) {
  AdminHarness harness;
  json::value body = json_body(
      harness.client().get("/api/v1/series/aluevaltuutetut-2022", AdminHarness::auth()).value());
  const json::array& load = body.at("load").as_array();
  ASSERT_EQ(load.size(), 28u);

  std::map<std::string, std::int64_t> expected;
  const date::time_zone* helsinki = date::locate_zone("Europe/Helsinki");
  std::size_t invited = 0;
  harness.on_loop([&](TestDaemonView& daemon) {
    store::NotificationQuery query;
    query.limit = 1000;
    store::NotificationPage page = daemon.outbox().list(query).value();
    if (page.next_cursor) throw std::runtime_error("more than 1000 rows");
    for (const store::NotificationRow& row : page.rows) {
      if (row.kind == "invitation") ++invited;
      Instant at;
      if (row.state == store::NotificationState::pending) {
        at = row.due;
      } else if (row.state == store::NotificationState::retrying) {
        at = *row.next_attempt_at;
      } else {
        continue;
      }
      const date::local_days day = date::floor<date::days>(helsinki->to_local(at));
      const date::local_days today{date::year{2022} / 1 / 20};
      if (day >= today + date::days(28)) continue;
      ++expected[date::format("%F", std::max(day, today))];
    }
    return 0;
  });

  std::map<std::string, std::int64_t> shown;
  for (std::size_t i = 0; i < load.size(); ++i) {
    const std::string date(load[i].at("date").as_string());
    EXPECT_EQ(date, date::format("%F", date::local_days{date::year{2022} / 1 / 20} +
                                           date::days(static_cast<int>(i))));
    if (load[i].at("count").as_int64() != 0) shown[date] = load[i].at("count").as_int64();
  }
  EXPECT_EQ(shown, expected);
  // By the plan: everyone invited gets each reminder of the sessions on 2
  // and 16 February (a week before at 18:00, the day before at 09:00, an
  // hour before at 17:00), and the week-before one of 23 February; one of
  // the 2nd's week-before reminders was missed. Today: the invitations not
  // yet claimed (overdue, so sent at once) and the retrying one, whose next
  // attempt is overdue too.
  const auto n = static_cast<std::int64_t>(invited);
  ASSERT_EQ(n, 11);  // the example's audience
  const auto claimed = static_cast<std::int64_t>(kSent + 3);
  EXPECT_EQ(shown, (std::map<std::string, std::int64_t>{{"2022-01-20", n - claimed + 1},
                                                        {"2022-01-26", n - 1},
                                                        {"2022-02-01", n},
                                                        {"2022-02-02", n},
                                                        {"2022-02-09", n},
                                                        {"2022-02-15", n},
                                                        {"2022-02-16", 2 * n}}));
}

TEST(AdminStatusTest, UnknownSeriesIs404) {
  AdminHarness harness;
  HttpReply reply = harness.client().get("/api/v1/series/nope", AdminHarness::auth()).value();
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(json_body(reply), (json::object{{"error", "no series nope is loaded"}}));
}

TEST(AdminStatusTest, CalendarFeedNeedsNoTokenAndIs404ForAnUnknownSeries) {
  AdminHarness harness;
  auto client = harness.client();
  HttpReply feed = client.get("/series/aluevaltuutetut-2022.ics").value();
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(feed.body, TestDaemonView::kFeed);

  HttpReply unknown = client.get("/series/nope.ics").value();
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json_body(unknown), (json::object{{"error", "no series nope is loaded"}}));
}

TEST(AdminStatusTest, PercentEncodedIdsAreDecoded) {
  AdminHarness harness;
  HttpReply reply =
      harness.client().get("/api/v1/series/aluevaltuutetut%2D2022", AdminHarness::auth()).value();
  EXPECT_EQ(reply.status, 200) << reply.body;
}

}  // namespace
}  // namespace kutsu::admin::testing
