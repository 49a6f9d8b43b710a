// GET /api/v1/notifications (filters, paging either way, bad parameters),
// GET /api/v1/notifications/{id} and POST …/{id}/retry.
#include <gtest/gtest.h>

#include <set>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

namespace json = boost::json;
using kutsu::testing::HttpReply;

// Every row of the outbox in (due, id) order, read on the loop.
std::vector<store::NotificationRow> all_rows(AdminHarness& harness) {
  return harness.on_loop([](TestDaemonView& daemon) {
    store::NotificationQuery query;
    query.limit = 1000;
    store::NotificationPage page = daemon.outbox().list(query).value();
    if (page.next_cursor) throw std::runtime_error("more than 1000 rows");
    return page.rows;
  });
}

std::vector<std::string> ids_of(const json::value& body) {
  std::vector<std::string> ids;
  for (const json::value& row : body.at("notifications").as_array()) {
    ids.emplace_back(row.at("id").as_string());
  }
  return ids;
}

HttpReply get(AdminHarness& harness, const std::string& target) {
  return harness.client().get(target, AdminHarness::auth()).value();
}

TEST(NotificationsApiTest, DefaultPageIsTheFirst100InDueAndIdOrder) {
  AdminHarness harness;
  std::vector<store::NotificationRow> rows = all_rows(harness);
  ASSERT_GT(rows.size(), 100u);
  HttpReply reply = get(harness, "/api/v1/notifications");
  ASSERT_EQ(reply.status, 200) << reply.body;
  json::value body = json_body(reply);
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < 100; ++i) expected.push_back(rows[i].id);
  EXPECT_EQ(ids_of(body), expected);
  EXPECT_TRUE(body.at("next").is_string());
  EXPECT_EQ(body.as_object().size(), 2u);
}

TEST(NotificationsApiTest, FiltersBySeriesSessionAndState) {
  AdminHarness harness;
  json::value failed = json_body(get(harness, "/api/v1/notifications?state=failed"));
  EXPECT_EQ(ids_of(failed), std::vector<std::string>{harness.ids().failed});
  EXPECT_TRUE(failed.at("next").is_null());

  json::value sent = json_body(get(harness, "/api/v1/notifications?state=sent&limit=1000"));
  std::vector<std::string> sent_ids = ids_of(sent);
  std::sort(sent_ids.begin(), sent_ids.end());
  std::vector<std::string> expected = harness.ids().sent;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sent_ids, expected);

  json::value session = json_body(get(
      harness, "/api/v1/notifications?series=aluevaltuutetut-2022&session=verkosto&limit=1000"));
  std::size_t in_session = 0;
  for (const store::NotificationRow& row : all_rows(harness)) {
    if (row.session_id == "verkosto") ++in_session;
  }
  EXPECT_EQ(ids_of(session).size(), in_session);
  for (const json::value& row : session.at("notifications").as_array()) {
    EXPECT_EQ(row.at("session"), "verkosto");
  }

  json::value none = json_body(get(harness, "/api/v1/notifications?series=nope"));
  EXPECT_EQ(none, (json::object{{"notifications", json::array{}}, {"next", nullptr}}));
}

TEST(NotificationsApiTest, BadParametersAre400NamingTheParameter) {
  AdminHarness harness;
  struct Case {
    const char* query;
    const char* error;
  };
  for (const Case& c : {
           Case{"limit=0", "parameter 'limit' must be a whole number from 1 to 1000"},
           Case{"limit=1001", "parameter 'limit' must be a whole number from 1 to 1000"},
           Case{"limit=7x", "parameter 'limit' must be a whole number from 1 to 1000"},
           Case{"limit=-1", "parameter 'limit' must be a whole number from 1 to 1000"},
           Case{"state=bogus", "parameter 'state' must be a notification state, not 'bogus'"},
           Case{"after=garbage", "parameter 'after' is not a cursor from 'next'"},
           Case{"colour=red", "parameter 'colour' is not known"},
           Case{"state=sent&state=failed", "parameter 'state' is given twice"},
           Case{"series", "parameter 'series' has no value"},
           Case{"order=oldest", "parameter 'order' must be 'due' or 'newest', not 'oldest'"},
       }) {
    SCOPED_TRACE(c.query);
    HttpReply reply = get(harness, std::string("/api/v1/notifications?") + c.query);
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(json_body(reply), (json::object{{"error", c.error}}));
  }
  // The edges are allowed.
  EXPECT_EQ(get(harness, "/api/v1/notifications?limit=1").status, 200);
  EXPECT_EQ(get(harness, "/api/v1/notifications?limit=1000").status, 200);
}

TEST(NotificationsApiTest, PagingBySevenGetsEveryRowOnceInOrder) {
  AdminHarness harness;
  std::vector<store::NotificationRow> rows = all_rows(harness);
  std::vector<std::string> expected;
  for (const store::NotificationRow& row : rows) expected.push_back(row.id);

  auto client = harness.client();
  std::vector<std::string> seen;
  std::string target = "/api/v1/notifications?limit=7";
  std::size_t pages = 0;
  for (;;) {
    HttpReply reply = client.get(target, AdminHarness::auth()).value();
    ASSERT_EQ(reply.status, 200) << reply.body;
    json::value body = json_body(reply);
    std::vector<std::string> ids = ids_of(body);
    EXPECT_LE(ids.size(), 7u);
    seen.insert(seen.end(), ids.begin(), ids.end());
    ++pages;
    if (body.at("next").is_null()) break;
    ASSERT_LT(pages, rows.size()) << "paging does not end";
    target = "/api/v1/notifications?limit=7&after=" + std::string(body.at("next").as_string());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, (rows.size() + 6) / 7);
}

// order=newest: the whole listing reversed, paged by the same cursor.
TEST(NotificationsApiTest, NewestFirstPagesBackwardsThroughEveryRow) {
  AdminHarness harness;
  std::vector<store::NotificationRow> rows = all_rows(harness);
  std::vector<std::string> expected;
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) expected.push_back(row->id);

  auto client = harness.client();
  std::vector<std::string> seen;
  std::string target = "/api/v1/notifications?order=newest&limit=7";
  std::size_t pages = 0;
  for (;;) {
    HttpReply reply = client.get(target, AdminHarness::auth()).value();
    ASSERT_EQ(reply.status, 200) << reply.body;
    json::value body = json_body(reply);
    const std::vector<std::string> ids = ids_of(body);
    seen.insert(seen.end(), ids.begin(), ids.end());
    ++pages;
    if (body.at("next").is_null()) break;
    ASSERT_LT(pages, rows.size()) << "paging does not end";
    target = "/api/v1/notifications?order=newest&limit=7&after=" +
             std::string(body.at("next").as_string());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, (rows.size() + 6) / 7);
  // order=due is the default order, said out loud.
  EXPECT_EQ(json_body(get(harness, "/api/v1/notifications?order=due&limit=5")),
            json_body(get(harness, "/api/v1/notifications?limit=5")));
}

// What the status page's "Recently sent" asks: sent rows of a series, newest
// first, a page at a time. The three sent invitations share their due
// moment, so the id decides, descending, across the pages of two.
TEST(NotificationsApiTest, RecentlySentOfASeriesPagesNewestFirst) {
  AdminHarness harness;
  std::vector<std::string> sent = harness.ids().sent;
  ASSERT_EQ(sent.size(), 3u);
  std::sort(sent.begin(), sent.end(), std::greater<>());
  const std::string query =
      "/api/v1/notifications?state=sent&series=aluevaltuutetut-2022&order=newest&limit=2";
  json::value first = json_body(get(harness, query));
  EXPECT_EQ(ids_of(first), (std::vector<std::string>{sent[0], sent[1]}));
  ASSERT_TRUE(first.at("next").is_string());
  json::value second =
      json_body(get(harness, query + "&after=" + std::string(first.at("next").as_string())));
  EXPECT_EQ(ids_of(second), std::vector<std::string>{sent[2]});
  EXPECT_TRUE(second.at("next").is_null());
  for (const json::value& row : first.at("notifications").as_array()) {
    EXPECT_EQ(row.at("state"), "sent");
    EXPECT_EQ(row.at("sent_at"), "2022-01-19T07:00:02Z");
    EXPECT_EQ(row.at("due_local"), "2022-01-19T09:00:00+02:00");
  }
  EXPECT_EQ(json_body(get(harness, "/api/v1/notifications?state=sent&series=nope&order=newest")),
            (json::object{{"notifications", json::array{}}, {"next", nullptr}}));
}

TEST(NotificationsApiTest, PagingStaysStableWhenRowsAreInsertedBetweenPages) {
  AdminHarness harness;
  std::vector<store::NotificationRow> before = all_rows(harness);
  auto client = harness.client();

  json::value first =
      json_body(client.get("/api/v1/notifications?limit=7", AdminHarness::auth()).value());
  std::vector<std::string> seen = ids_of(first);
  const std::string last_seen = seen.back();
  Instant last_due;
  for (const store::NotificationRow& row : before) {
    if (row.id == last_seen) last_due = row.due;
  }

  // Another series gets rows both before and after the cursor.
  std::vector<store::PlannedNotification> added;
  for (int i = 0; i < 20; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", 0xabc000 + i);
    added.push_back(store::PlannedNotification{
        id, "s1", "reminder", "PT1H", "email", "x" + std::to_string(i) + "@example.org",
        last_due + std::chrono::hours(12 * (i - 4) + 1), last_due + std::chrono::hours(300)});
  }
  harness.on_loop([&](TestDaemonView& daemon) {
    return daemon.outbox().apply_plan("toinen", added, TestDaemonView::fixed_now()).ok();
  });

  std::string next(first.at("next").as_string());
  for (;;) {
    json::value page = json_body(
        client.get("/api/v1/notifications?limit=7&after=" + next, AdminHarness::auth()).value());
    std::vector<std::string> ids = ids_of(page);
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (page.at("next").is_null()) break;
    next = std::string(page.at("next").as_string());
  }

  // Every row of the store now, minus those sorting before the cursor that
  // were added later, exactly once and in order.
  std::vector<std::string> expected;
  for (const store::NotificationRow& row : all_rows(harness)) {
    const bool added_before_cursor =
        row.series_id == "toinen" && std::pair(row.due, row.id) < std::pair(last_due, last_seen);
    if (!added_before_cursor) expected.push_back(row.id);
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_EQ(expected.size(), before.size() + 16);  // 4 of the 20 sorted before the cursor
}

TEST(NotificationsApiTest, OneNotificationShowsItsHistoryOldestFirst) {
  AdminHarness harness;
  json::value failed = json_body(get(harness, "/api/v1/notifications/" + harness.ids().failed));
  EXPECT_EQ(failed.at("state"), "failed");
  EXPECT_EQ(failed.at("history"),
            (json::array{json::object{{"at", "2022-01-19T07:00:02Z"},
                                      {"outcome", "permanent"},
                                      {"code", 550},
                                      {"detail", "5.1.1 \"No such user\" here"}}}));

  json::value pending = json_body(get(harness, "/api/v1/notifications/" + harness.ids().missed));
  EXPECT_EQ(pending.at("state"), "missed");
  EXPECT_EQ(pending.at("history"), json::array{});
}

TEST(NotificationsApiTest, UnknownNotificationIs404) {
  AdminHarness harness;
  HttpReply reply = get(harness, "/api/v1/notifications/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(json_body(reply),
            (json::object{{"error", "no notification 0123456789abcdef0123456789abcdef"}}));
}

TEST(RetryApiTest, RetryingAFailedNotificationMakesItPendingInTheStore) {
  AdminHarness harness;
  const std::string id = harness.ids().failed;
  HttpReply reply =
      harness.client().post("/api/v1/notifications/" + id + "/retry", AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  json::value body = json_body(reply);
  EXPECT_EQ(body.at("id"), json::value(id));
  EXPECT_EQ(body.at("state"), "pending");
  EXPECT_EQ(body.at("attempts"), 0);
  EXPECT_EQ(body.at("updated_at"), "2022-01-20T12:00:00Z");
  EXPECT_FALSE(body.as_object().contains("history"));

  store::NotificationRow row = harness.on_loop(
      [&](TestDaemonView& daemon) { return daemon.outbox().find(id).value()->row; });
  EXPECT_EQ(row.state, store::NotificationState::pending);
  EXPECT_EQ(row.attempts, 0);
}

TEST(RetryApiTest, RetryingAMissedNotificationWorksToo) {
  AdminHarness harness;
  HttpReply reply =
      harness.client()
          .post("/api/v1/notifications/" + harness.ids().missed + "/retry", AdminHarness::auth())
          .value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(json_body(reply).at("state"), "pending");
}

TEST(RetryApiTest, OtherStatesAre409AndUnknownIdsAre404) {
  AdminHarness harness;
  auto client = harness.client();
  const std::string sent = harness.ids().sent.front();
  HttpReply reply =
      client.post("/api/v1/notifications/" + sent + "/retry", AdminHarness::auth()).value();
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(json_body(reply),
            (json::object{{"error", "notification " + sent +
                                        " is sent; only failed or missed notifications can be "
                                        "retried"}}));
  for (const std::string& id :
       {harness.ids().retrying, harness.ids().sending, harness.ids().superseded}) {
    EXPECT_EQ(
        client.post("/api/v1/notifications/" + id + "/retry", AdminHarness::auth()).value().status,
        409);
  }
  HttpReply unknown = client.post("/api/v1/notifications/feed/retry", AdminHarness::auth()).value();
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json_body(unknown), (json::object{{"error", "no notification feed"}}));

  // Nothing changed in the store.
  store::NotificationState state = harness.on_loop(
      [&](TestDaemonView& daemon) { return daemon.outbox().find(sent).value()->row.state; });
  EXPECT_EQ(state, store::NotificationState::sent);
}

TEST(RetryApiTest, StatusCountsAreCachedButShowARetryAtOnce) {
  AdminHarness harness(
      [](AdminSettings& settings) { settings.figures_ttl = std::chrono::hours(1); });
  auto client = harness.client();
  auto counts = [&] {
    return json_body(client.get("/api/v1/status", AdminHarness::auth()).value()).at("counts");
  };
  EXPECT_EQ(counts().at("failed"), 1);
  // A change behind the API's back waits for the cache to expire …
  harness.on_loop([&](TestDaemonView& daemon) {
    return daemon.outbox()
        .mark_missed(std::vector<std::string>{harness.ids().retrying}, daemon.now())
        .value();
  });
  EXPECT_EQ(counts().at("missed"), 1);
  // … but the API's own retry shows at once, with what happened meanwhile.
  ASSERT_EQ(
      client.post("/api/v1/notifications/" + harness.ids().failed + "/retry", AdminHarness::auth())
          .value()
          .status,
      200);
  json::value after = counts();
  EXPECT_EQ(after.at("failed"), 0);
  EXPECT_EQ(after.at("missed"), 2);
}

}  // namespace
}  // namespace kutsu::admin::testing
