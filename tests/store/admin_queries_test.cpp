// The admin API's queries: counts, one notification, paged listings (either
// way), what is still to send per slice of time.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "store/detail/page_cursor.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using testing::feb;
using testing::id_of;
using testing::OutboxTest;
using testing::planned;

class AdminQueries : public OutboxTest {
 protected:
  // Series s: session s1 (1, 2), s2 (3), invitation (4); series t: 5.
  void SetUp() override {
    OutboxTest::SetUp();
    PlannedNotification invitation = planned(4, feb(1, 9), std::nullopt);
    invitation.kind = "invitation";
    plan(
        {planned(1, feb(1, 10)), planned(2, feb(1, 11)), planned(3, feb(1, 12), "s2"), invitation});
    ASSERT_TRUE(outbox().apply_plan("t", std::vector{planned(5, feb(1, 10))}, feb(1)).ok());
    ASSERT_EQ(outbox().claim_due(feb(1, 9), 1)->size(), 1u);  // the invitation
    std::vector<RecordedAttempt> sent{{id_of(4), {feb(1, 9), AttemptResult::sent(250, "ok")}, {}}};
    ASSERT_TRUE(outbox().record_results(sent).ok());
  }

  std::vector<std::string> ids(const NotificationPage& page) {
    std::vector<std::string> out;
    for (const NotificationRow& r : page.rows) out.push_back(r.id);
    return out;
  }
};

TEST_F(AdminQueries, CountsByStateOverallPerSeriesAndPerSession) {
  StateCounts all = outbox().state_counts().value();
  EXPECT_EQ(all[NotificationState::pending], 4);
  EXPECT_EQ(all[NotificationState::sent], 1);
  EXPECT_EQ(all[NotificationState::failed], 0);
  EXPECT_EQ(all.total(), 5);

  StateCounts series = outbox().state_counts("s").value();
  EXPECT_EQ(series[NotificationState::pending], 3);
  EXPECT_EQ(series[NotificationState::sent], 1);

  StateCounts session = outbox().state_counts("s", "s1").value();
  EXPECT_EQ(session[NotificationState::pending], 2);
  EXPECT_EQ(session.total(), 2);

  Result<StateCounts> no_series = outbox().state_counts(std::nullopt, "s1");
  ASSERT_FALSE(no_series.ok());
  EXPECT_EQ(no_series.error().message, "a session is only known within its series");
  EXPECT_EQ(no_series.error().code, ErrorCode::invalid);
}

TEST_F(AdminQueries, CountsEverySessionOfASeriesInvitationsFirst) {
  std::vector<SessionStateCounts> sessions = outbox().session_state_counts("s").value();
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions[0].session_id, std::nullopt);
  EXPECT_EQ(sessions[0].counts[NotificationState::sent], 1);
  EXPECT_EQ(sessions[1].session_id, "s1");
  EXPECT_EQ(sessions[1].counts[NotificationState::pending], 2);
  EXPECT_EQ(sessions[2].session_id, "s2");
  EXPECT_EQ(sessions[2].counts.total(), 1);
  EXPECT_TRUE(outbox().session_state_counts("nobody").value().empty());
}

TEST_F(AdminQueries, FindsOneNotificationWithItsAttempts) {
  std::optional<NotificationDetail> found = outbox().find(id_of(4)).value();
  ASSERT_TRUE(found);
  EXPECT_EQ(found->row.kind, "invitation");
  EXPECT_EQ(found->row.state, NotificationState::sent);
  EXPECT_EQ(found->attempts, (std::vector<Attempt>{{feb(1, 9), AttemptResult::sent(250, "ok")}}));
  EXPECT_EQ(outbox().find(id_of(77)).value(), std::nullopt);
}

TEST_F(AdminQueries, ListsInDueOrderWithFilters) {
  NotificationQuery all;
  EXPECT_EQ(ids(outbox().list(all).value()),
            (std::vector{id_of(4), id_of(1), id_of(5), id_of(2), id_of(3)}));

  NotificationQuery series{.series_id = "s"};
  EXPECT_EQ(ids(outbox().list(series).value()),
            (std::vector{id_of(4), id_of(1), id_of(2), id_of(3)}));

  NotificationQuery session{.series_id = "s", .session_id = "s2"};
  EXPECT_EQ(ids(outbox().list(session).value()), std::vector{id_of(3)});

  NotificationQuery pending{.state = NotificationState::pending};
  EXPECT_EQ(ids(outbox().list(pending).value()),
            (std::vector{id_of(1), id_of(5), id_of(2), id_of(3)}));

  NotificationQuery sent_in_t{.series_id = "t", .state = NotificationState::sent};
  NotificationPage empty = outbox().list(sent_in_t).value();
  EXPECT_TRUE(empty.rows.empty());
  EXPECT_EQ(empty.next_cursor, std::nullopt);
}

TEST_F(AdminQueries, PagesByCursorWithoutRepeatsOrGapsWhileRowsAreInserted) {
  NotificationQuery query{.limit = 2};
  NotificationPage first = outbox().list(query).value();
  EXPECT_EQ(ids(first), (std::vector{id_of(4), id_of(1)}));
  ASSERT_TRUE(first.next_cursor);

  // Inserted meanwhile: one before the cursor (not shown, it was not there
  // when the reader passed), two after it (shown in place), one tied on due.
  ASSERT_TRUE(outbox()
                  .apply_plan("u",
                              std::vector{planned(20, feb(1, 8)), planned(21, feb(1, 10)),
                                          planned(22, feb(1, 11, 30)), planned(0, feb(1, 10))},
                              feb(1))
                  .ok());

  query.after = first.next_cursor;
  std::vector<std::string> rest;
  for (int page = 0; page < 10 && query.after; ++page) {
    NotificationPage next = outbox().list(query).value();
    for (std::string& id : ids(next)) rest.push_back(id);
    query.after = next.next_cursor;
  }
  // id 0 ties with 1 at 10:00 but sorts before it, so it is behind the cursor.
  EXPECT_EQ(rest, (std::vector{id_of(5), id_of(21), id_of(2), id_of(22), id_of(3)}));
}

TEST_F(AdminQueries, TheLastPageHasNoCursor) {
  NotificationQuery query{.limit = 5};
  NotificationPage page = outbox().list(query).value();
  EXPECT_EQ(page.rows.size(), 5u);
  EXPECT_EQ(page.next_cursor, std::nullopt);
}

TEST_F(AdminQueries, RefusesAMalformedCursorAndAnOutOfRangeLimit) {
  NotificationQuery bad_cursor{.after = "not-a-cursor"};
  Result<NotificationPage> page = outbox().list(bad_cursor);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().message, "malformed cursor 'not-a-cursor'");
  EXPECT_EQ(page.error().code, ErrorCode::invalid);

  for (std::size_t limit : {std::size_t{0}, std::size_t{1001}}) {
    NotificationQuery bad_limit{.limit = limit};
    Result<NotificationPage> refused = outbox().list(bad_limit);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message, "limit must be between 1 and 1000");
    EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  }
}

TEST_F(AdminQueries, ListsNewestFirstAndPagesBackwards) {
  NotificationQuery all{.order = ListOrder::newest};
  EXPECT_EQ(ids(outbox().list(all).value()),
            (std::vector{id_of(3), id_of(2), id_of(5), id_of(1), id_of(4)}));
  NotificationQuery sent{.series_id = "s", .state = NotificationState::sent,
                         .order = ListOrder::newest};
  EXPECT_EQ(ids(outbox().list(sent).value()), std::vector{id_of(4)});

  NotificationQuery query{.limit = 2, .order = ListOrder::newest};
  NotificationPage first = outbox().list(query).value();
  EXPECT_EQ(ids(first), (std::vector{id_of(3), id_of(2)}));
  ASSERT_TRUE(first.next_cursor);
  // Inserted meanwhile: one newer than the cursor (not shown), one older
  // (shown in place), one tied on due with 2 whose id sorts before it (so
  // after it, newest first).
  ASSERT_TRUE(outbox()
                  .apply_plan("u",
                              std::vector{planned(20, feb(1, 13)), planned(21, feb(1, 9, 30)),
                                          planned(0, feb(1, 11))},
                              feb(1))
                  .ok());
  query.after = first.next_cursor;
  std::vector<std::string> rest;
  for (int page = 0; page < 10 && query.after; ++page) {
    NotificationPage next = outbox().list(query).value();
    EXPECT_LE(next.rows.size(), 2u);
    for (std::string& id : ids(next)) rest.push_back(id);
    query.after = next.next_cursor;
  }
  EXPECT_EQ(rest, (std::vector{id_of(0), id_of(5), id_of(1), id_of(21), id_of(4)}));
}

// SQLite's plan for `sql` on the outbox file, one step per line.
std::string query_plan(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  EXPECT_EQ(sqlite3_prepare_v2(db, explain.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string plan;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    plan += '\n';
  }
  EXPECT_EQ(sqlite3_finalize(statement), SQLITE_OK);
  EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
  return plan;
}

// "Recently sent" walks the (state, due, id) index backwards from the
// cursor: no sort of every sent row, however many there are.
TEST_F(AdminQueries, NewestFirstNeedsNoSort) {
  const std::string plan = query_plan(
      file(),
      "SELECT id FROM notifications WHERE 1 AND state = 'sent' AND (due, id) < (1, 'x')"
      " ORDER BY due DESC, id DESC LIMIT 21");
  EXPECT_NE(plan.find("notifications_by_state_due"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  const std::string all = query_plan(
      file(), "SELECT id FROM notifications WHERE 1 ORDER BY due DESC, id DESC LIMIT 101");
  EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << all;
}

TEST_F(AdminQueries, CountsWhatIsStillToSendPerSliceOfTime) {
  using std::chrono::hours;
  // Series s: 1 at 10:00, 2 at 11:00, 3 at 12:00 pending; 4 sent.
  EXPECT_EQ(outbox().pending_by_slice("s", feb(1, 12), hours(1)).value(),
            (std::vector<DueSlice>{{feb(1, 10), 1}, {feb(1, 11), 1}}));
  EXPECT_EQ(outbox().pending_by_slice("s", feb(2), std::chrono::days(1)).value(),
            (std::vector<DueSlice>{{feb(1), 3}}));
  EXPECT_EQ(outbox().pending_by_slice("t", feb(2), hours(1)).value(),
            (std::vector<DueSlice>{{feb(1, 10), 1}}));
  EXPECT_TRUE(outbox().pending_by_slice("nobody", feb(2), hours(1)).value().empty());

  // A retrying row counts when it is tried again; a row being sent not at all.
  std::vector<NotificationRow> claimed = outbox().claim_due(feb(1, 11), 2).value();
  ASSERT_EQ(claimed.size(), 2u);
  ASSERT_EQ(claimed[0].id, id_of(1));
  ASSERT_EQ(claimed[1].id, id_of(5));
  std::vector<RecordedAttempt> retry{
      {id_of(1), {feb(1, 10), AttemptResult::retry(451, "busy")}, feb(3, 8, 20)}};
  ASSERT_TRUE(outbox().record_results(retry).ok());
  EXPECT_EQ(outbox().pending_by_slice("s", feb(4), hours(1)).value(),
            (std::vector<DueSlice>{{feb(1, 11), 1}, {feb(1, 12), 1}, {feb(3, 8), 1}}));
  EXPECT_TRUE(outbox().pending_by_slice("t", feb(4), hours(1)).value().empty());

  Result<std::vector<DueSlice>> refused =
      outbox().pending_by_slice("s", feb(4), std::chrono::seconds(0));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
}

TEST(PageCursor, RoundTripsAndRejectsWhatItDidNotWrite) {
  using detail::PageCursor;
  for (Instant due : {feb(1, 10), Instant{}, Instant{std::chrono::seconds{-86400}}}) {
    PageCursor cursor{due, id_of(0xabc)};
    std::string token = cursor.encode();
    EXPECT_EQ(token.size(), 48u);
    std::optional<PageCursor> back = PageCursor::decode(token);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->due, due);
    EXPECT_EQ(back->id, id_of(0xabc));
  }
  EXPECT_EQ((PageCursor{feb(1), id_of(1)}.encode()),
            "0000000061f87800" + id_of(1));  // 2022-02-01T00:00:00Z = 0x61f87800
  EXPECT_FALSE(PageCursor::decode(""));
  EXPECT_FALSE(PageCursor::decode(std::string(47, '0')));
  EXPECT_FALSE(PageCursor::decode(std::string(47, '0') + "G"));
  EXPECT_FALSE(PageCursor::decode(std::string(47, '0') + "A"));
}

}  // namespace
}  // namespace kutsu::store
