// The admin pieces that need no socket: the bearer token check, the
// notifications query string, the status of each error code, the load per
// local day, the outbox figures cache, and the Router as a pure function.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <boost/url/parse.hpp>

#include "admin/api_handlers.h"
#include "admin/bearer_token.h"
#include "admin/daily_load.h"
#include "admin/http_response.h"
#include "admin/notification_query.h"
#include "admin/outbox_figures.h"
#include "admin/router.h"
#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

TEST(BearerTokenTest, AcceptsOnlyTheExactToken) {
  const std::optional<std::string> token = "abc123";
  EXPECT_TRUE(bearer_token_matches("Bearer abc123", token));
  EXPECT_TRUE(bearer_token_matches("BEARER abc123", token));
  EXPECT_FALSE(bearer_token_matches("Bearer abc124", token));
  EXPECT_FALSE(bearer_token_matches("Bearer abc12", token));
  EXPECT_FALSE(bearer_token_matches("Bearer abc1234", token));
  EXPECT_FALSE(bearer_token_matches("Bearer  abc123", token));
  EXPECT_FALSE(bearer_token_matches("Bearer", token));
  EXPECT_FALSE(bearer_token_matches("abc123", token));
  EXPECT_FALSE(bearer_token_matches(std::nullopt, token));
  // No token configured, or an empty one: nothing matches.
  EXPECT_FALSE(bearer_token_matches("Bearer abc123", std::nullopt));
  EXPECT_FALSE(bearer_token_matches("Bearer ", std::optional<std::string>("")));
}

Result<store::NotificationQuery> parse(std::string_view target) {
  return parse_notification_query(boost::urls::parse_origin_form(target).value().params());
}

TEST(NotificationQueryTest, ReadsEveryKnownParameter) {
  store::NotificationQuery query =
      parse("/n?series=s%20x&session=verkosto&state=retrying&limit=7&after=abc").value();
  EXPECT_EQ(query.series_id, "s x");
  EXPECT_EQ(query.session_id, "verkosto");
  EXPECT_EQ(query.state, store::NotificationState::retrying);
  EXPECT_EQ(query.limit, 7u);
  EXPECT_EQ(query.after, "abc");

  store::NotificationQuery defaults = parse("/n").value();
  EXPECT_EQ(defaults.limit, 100u);
  EXPECT_FALSE(defaults.series_id || defaults.session_id || defaults.state || defaults.after);
  EXPECT_EQ(defaults.order, store::ListOrder::due);  // as before order= existed
  EXPECT_EQ(parse("/n?order=newest").value().order, store::ListOrder::newest);
  EXPECT_EQ(parse("/n?order=due").value().order, store::ListOrder::due);
}

TEST(NotificationQueryTest, RefusesWithTheParameterNamed) {
  EXPECT_EQ(parse("/n?limit=99999999999999999999999").error().message,
            "parameter 'limit' must be a whole number from 1 to 1000");
  EXPECT_EQ(parse("/n?limit=").error().message,
            "parameter 'limit' must be a whole number from 1 to 1000");
  EXPECT_EQ(parse("/n?stat=sent").error().message, "parameter 'stat' is not known");
  EXPECT_EQ(parse("/n?state=SENT").error().message,
            "parameter 'state' must be a notification state, not 'SENT'");
  EXPECT_EQ(parse("/n?order=oldest").error().message,
            "parameter 'order' must be 'due' or 'newest', not 'oldest'");
  EXPECT_EQ(parse("/n?order=newest&order=due").error().message,
            "parameter 'order' is given twice");
}

date::year_month_day ymd(unsigned month, unsigned day) {
  return date::year_month_day{date::year{2022}, date::month{month}, date::day{day}};
}

// The outbox's quarter-hour slices land on the local day they lie in: in
// India (+05:30) the slice from 18:15Z is the evening's last, 18:30Z is the
// next morning, which an hour slice from 18:00Z could not tell apart.
TEST(DailyLoadTest, SlicesFallOnTheirLocalDayInAHalfHourZone) {
  using namespace std::chrono;
  const date::time_zone& kolkata = *date::locate_zone("Asia/Kolkata");
  const store::Instant now = sys_days{2022y / January / 20} + 12h;  // 17:30 there
  const store::Instant end = load_window_end(kolkata, now, 3);
  EXPECT_EQ(end, sys_days{2022y / January / 22} + 18h + 30min);  // Jan 23, 00:00 +05:30
  const std::vector<store::DueSlice> slices = {
      {sys_days{2022y / January / 19}, 5},                // overdue: sent at once, today
      {sys_days{2022y / January / 20} + 18h + 15min, 2},  // 23:45 on the 20th
      {sys_days{2022y / January / 20} + 18h + 30min, 3},  // 00:00 on the 21st
      {end - 15min, 7},                                   // the window's last quarter
      {end, 100},                                         // past it
  };
  const std::vector<DayLoad> expected = {{ymd(1, 20), 7},
                                         {ymd(1, 21), 3},
                                         {ymd(1, 22), 7}};
  EXPECT_EQ(daily_load(slices, kolkata, now, 3), expected);
}

TEST(DailyLoadTest, EveryDayIsThereAndDaysFollowTheZonesDst) {
  using namespace std::chrono;
  const date::time_zone& helsinki = *date::locate_zone("Europe/Helsinki");
  // Sunday 27 March 2022 has 23 hours there: Monday begins at 21:00Z.
  const store::Instant now = sys_days{2022y / March / 26} + 12h;
  EXPECT_EQ(load_window_end(helsinki, now, 2), sys_days{2022y / March / 27} + 21h);
  const std::vector<store::DueSlice> slices = {{sys_days{2022y / March / 27} + 20h + 45min, 4}};
  const std::vector<DayLoad> expected = {
      {ymd(3, 26), 0}, {ymd(3, 27), 4}, {ymd(3, 28), 0}};
  EXPECT_EQ(daily_load(slices, helsinki, now, 3), expected);
  // A midnight in a DST gap: Chile moved its clocks from 00:00 to 01:00 on
  // 11 September 2022, so that day began at 04:00Z.
  const date::time_zone& santiago = *date::locate_zone("America/Santiago");
  EXPECT_EQ(load_window_end(santiago, sys_days{2022y / September / 10} + 12h, 1),
            sys_days{2022y / September / 11} + 4h);
}

TEST(StatusOfTest, EachErrorCodeHasItsStatus) {
  EXPECT_EQ(status_of(ErrorCode::invalid), status::bad_request);
  EXPECT_EQ(status_of(ErrorCode::not_found), status::not_found);
  EXPECT_EQ(status_of(ErrorCode::conflict), status::conflict);
  EXPECT_EQ(status_of(ErrorCode::unavailable), status::service_unavailable);
  EXPECT_EQ(status_of(ErrorCode::failed), status::internal_server_error);
}

TEST(StatusOfTest, AStoreRefusalIsAnsweredWithItsStatusAndSentence) {
  HttpResponse conflict =
      store_failure("retry", Error{"notification x is sent; only …", ErrorCode::conflict});
  EXPECT_EQ(conflict.result(), status::conflict);
  EXPECT_EQ(conflict.body(), R"({"error":"notification x is sent; only …"})");
  EXPECT_EQ(store_failure("status", Error{"disk full", ErrorCode::unavailable}).result(),
            status::service_unavailable);
  EXPECT_EQ(store_failure("status", Error{"no such table"}).result(),
            status::internal_server_error);
}

// A read the test answers when it likes, as the outbox answers later.
struct HeldReads {
  std::vector<OutboxFiguresCache::Done<StatusFigures>> pending;
  OutboxFiguresCache::Read<StatusFigures> read() {
    return [this](OutboxFiguresCache::Done<StatusFigures> done) { pending.push_back(std::move(done)); };
  }
};

StatusFigures pending_count(int pending) {
  StatusFigures figures;
  figures.counts[store::NotificationState::pending] = pending;
  return figures;
}

TEST(OutboxFiguresCacheTest, CallersFindingTheFiguresStaleTogetherShareOneRead) {
  OutboxFiguresCache cache(std::chrono::hours(1));
  HeldReads reads;
  std::vector<int> answers;
  auto note = [&](Result<StatusFigures> figures) {
    answers.push_back(figures ? figures->counts[store::NotificationState::pending] : -1);
  };
  for (int caller = 0; caller < 32; ++caller) cache.status(note, reads.read());
  ASSERT_EQ(reads.pending.size(), 1u);
  EXPECT_TRUE(answers.empty());
  reads.pending[0](pending_count(7));
  EXPECT_EQ(answers, std::vector<int>(32, 7));
  // Kept for the ttl: no read.
  cache.status(note, reads.read());
  EXPECT_EQ(reads.pending.size(), 1u);
  EXPECT_EQ(answers.size(), 33u);
}

TEST(OutboxFiguresCacheTest, AnErrorReachesEveryWaiterAndIsNotKept) {
  OutboxFiguresCache cache(std::chrono::hours(1));
  HeldReads reads;
  int errors = 0;
  auto note = [&](Result<StatusFigures> figures) { errors += figures ? 0 : 1; };
  cache.status(note, reads.read());
  cache.status(note, reads.read());
  reads.pending[0](Error{"disk I/O error", ErrorCode::unavailable});
  EXPECT_EQ(errors, 2);
  cache.status(note, reads.read());
  EXPECT_EQ(reads.pending.size(), 2u);
}

TEST(OutboxFiguresCacheTest, AfterAnInvalidationCallersReadAnewAndTheOlderReadIsNotKept) {
  OutboxFiguresCache cache(std::chrono::hours(1));
  HeldReads reads;
  std::vector<int> answers;
  auto note = [&](Result<StatusFigures> figures) {
    answers.push_back(figures->counts[store::NotificationState::pending]);
  };
  cache.status(note, reads.read());
  cache.invalidate();  // a retry changed the outbox after that read began
  cache.status(note, reads.read());
  ASSERT_EQ(reads.pending.size(), 2u);
  reads.pending[1](pending_count(5));
  reads.pending[0](pending_count(4));
  EXPECT_EQ(answers, (std::vector<int>{5, 4}));
  cache.status(note, reads.read());
  EXPECT_EQ(answers.back(), 5);  // the newer read's figures were kept
  EXPECT_EQ(reads.pending.size(), 2u);
}

TEST(RouterTest, AnswersWithoutASocket) {
  boost::asio::io_context io;
  TempDir dir;
  TestDaemonView daemon(io, dir.path());
  Router router(daemon, std::string(kToken), std::chrono::milliseconds(0));
  HttpRequest request{boost::beast::http::verb::get, "/api/v1/status", 11};
  EXPECT_EQ(router.handle(request).result_int(), 401);
  request.set(boost::beast::http::field::authorization, "Bearer " + std::string(kToken));
  // The status reads the outbox: answered once the loop ran its answers.
  std::optional<HttpResponse> response;
  router.handle(request, [&](HttpResponse answer) { response = std::move(answer); });
  EXPECT_FALSE(response) << "answered inside the call";
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  const boost::json::value status = boost::json::parse(response->body());
  EXPECT_EQ(status.at("series_count"), 1);
  // One node, listed with what it loaded, and none differing.
  EXPECT_EQ(status.at("node"), "local");
  EXPECT_EQ(status.at("nodes").as_array().size(), 1u);
  EXPECT_EQ(status.at("nodes_with_other_versions").as_array().size(), 0u);

  HttpRequest bad_target{boost::beast::http::verb::get, "no-slash", 11};
  EXPECT_EQ(router.handle(bad_target).result_int(), 400);
}

}  // namespace
}  // namespace kutsu::admin::testing
