// The admin pieces that need no socket: the bearer token check, the
// notifications query string, the status of each error code, and the Router
// as a pure function.
#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include "admin/api_handlers.h"
#include "admin/bearer_token.h"
#include "admin/http_response.h"
#include "admin/notification_query.h"
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
}

TEST(NotificationQueryTest, RefusesWithTheParameterNamed) {
  EXPECT_EQ(parse("/n?limit=99999999999999999999999").error().message,
            "parameter 'limit' must be a whole number from 1 to 1000");
  EXPECT_EQ(parse("/n?limit=").error().message,
            "parameter 'limit' must be a whole number from 1 to 1000");
  EXPECT_EQ(parse("/n?stat=sent").error().message, "parameter 'stat' is not known");
  EXPECT_EQ(parse("/n?state=SENT").error().message,
            "parameter 'state' must be a notification state, not 'SENT'");
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

TEST(RouterTest, AnswersWithoutASocket) {
  TempDir dir;
  TestDaemonView daemon(dir.path());
  Router router(daemon, std::string(kToken), std::chrono::milliseconds(0));
  HttpRequest request{boost::beast::http::verb::get, "/api/v1/status", 11};
  EXPECT_EQ(router.handle(request).result_int(), 401);
  request.set(boost::beast::http::field::authorization, "Bearer " + std::string(kToken));
  HttpResponse response = router.handle(request);
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(boost::json::parse(response.body()).at("series_count"), 1);

  HttpRequest bad_target{boost::beast::http::verb::get, "no-slash", 11};
  EXPECT_EQ(router.handle(bad_target).result_int(), 400);
}

}  // namespace
}  // namespace kutsu::admin::testing
