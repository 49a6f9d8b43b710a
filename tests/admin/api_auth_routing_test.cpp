// The order of checks on every request (admin-api.md): unknown path → 404,
// known path with another method → 405 with Allow, then the bearer token on
// /api → 401 with WWW-Authenticate.
#include <gtest/gtest.h>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

namespace json = boost::json;
using kutsu::testing::HttpClient;
using kutsu::testing::HttpReply;

const json::value kUnauthorized = json::object{{"error", "missing or wrong bearer token"}};

void expect_unauthorized(const HttpReply& reply) {
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.header("www-authenticate"), "Bearer");
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(json_body(reply), kUnauthorized);
}

TEST(AdminAuthTest, MissingTokenIs401) {
  AdminHarness harness;
  auto client = harness.client();
  for (const char* target : {"/api/v1/status", "/api/v1/series", "/api/v1/series/nope",
                             "/api/v1/notifications", "/api/v1/notifications/nope"}) {
    SCOPED_TRACE(target);
    expect_unauthorized(client.get(target).value());
  }
  expect_unauthorized(client.post("/api/v1/reload").value());
  expect_unauthorized(
      client.post("/api/v1/notifications/" + harness.ids().failed + "/retry").value());
}

TEST(AdminAuthTest, WrongTokensAre401) {
  AdminHarness harness;
  auto client = harness.client();
  std::string same_length(kToken);
  same_length.back() = same_length.back() == 'x' ? 'y' : 'x';
  for (const std::string& token :
       {same_length, std::string(kToken) + "9", std::string(kToken.substr(1)), std::string(""),
        "x" + std::string(kToken)}) {
    SCOPED_TRACE(token);
    expect_unauthorized(client.get("/api/v1/status", HttpClient::bearer(token)).value());
  }
  // Another scheme, or the token alone.
  expect_unauthorized(
      client.get("/api/v1/status", {{"Authorization", "Basic " + std::string(kToken)}}).value());
  expect_unauthorized(
      client.get("/api/v1/status", {{"Authorization", std::string(kToken)}}).value());
}

TEST(AdminAuthTest, TheSchemeNameIsCaseInsensitive) {
  AdminHarness harness;
  HttpReply reply = harness.client()
                        .get("/api/v1/status", {{"Authorization", "bearer " + std::string(kToken)}})
                        .value();
  EXPECT_EQ(reply.status, 200);
}

TEST(AdminAuthTest, WithoutAConfiguredTokenEveryApiRequestIs401) {
  AdminHarness harness([](AdminSettings& settings) { settings.token.reset(); });
  auto client = harness.client();
  expect_unauthorized(client.get("/api/v1/status", AdminHarness::auth()).value());
  expect_unauthorized(client.get("/api/v1/status", HttpClient::bearer("")).value());
  expect_unauthorized(client.post("/api/v1/reload", AdminHarness::auth()).value());
  // What needs no token still works.
  EXPECT_EQ(client.get("/healthz").value().status, 200);
  EXPECT_EQ(client.get("/metrics").value().status, 200);
  EXPECT_EQ(client.get("/series/aluevaltuutetut-2022.ics").value().status, 200);
}

TEST(AdminRoutingTest, UnknownPathsAre404BeforeAuth) {
  AdminHarness harness;
  auto client = harness.client();
  for (const char* target :
       {"/nope", "/api", "/api/v1", "/api/v1/nope", "/api/v2/status", "/api/v1/status/x",
        "/api/v1/notifications/x/retry/y", "/series/aluevaltuutetut-2022", "/series/.ics",
        "/healthz/", "/api/v1/series/", "/metrics.txt"}) {
    SCOPED_TRACE(target);
    HttpReply reply = client.get(target).value();
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(json_body(reply), (json::object{{"error", "no such resource"}}));
  }
}

TEST(AdminRoutingTest, WrongMethodIs405WithAllowBeforeAuth) {
  AdminHarness harness;
  auto client = harness.client();
  struct Case {
    const char* method;
    const char* target;
    const char* allow;
  };
  for (const Case& c :
       {Case{"POST", "/api/v1/status", "GET"}, Case{"DELETE", "/api/v1/series", "GET"},
        Case{"PUT", "/api/v1/series/aluevaltuutetut-2022", "GET"},
        Case{"POST", "/api/v1/notifications", "GET"},
        Case{"GET", "/api/v1/notifications/abc/retry", "POST"},
        Case{"GET", "/api/v1/reload", "POST"}, Case{"POST", "/healthz", "GET"},
        Case{"POST", "/metrics", "GET"}, Case{"DELETE", "/", "GET"},
        Case{"POST", "/series/aluevaltuutetut-2022.ics", "GET"}}) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target);
    HttpReply reply = client.send({c.method, c.target, {}, ""}).value();
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.header("allow"), c.allow);
    EXPECT_EQ(json_body(reply),
              (json::object{{"error", std::string("method not allowed; use ") + c.allow}}));
  }
}

TEST(AdminRoutingTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  AdminHarness harness;
  auto client = harness.client();
  ASSERT_EQ(client.get("/healthz").value().status, 200);
  const std::uint16_t first = client.local_port();
  ASSERT_NE(first, 0);
  ASSERT_EQ(client.get("/api/v1/status", AdminHarness::auth()).value().status, 200);
  ASSERT_EQ(client.get("/nope").value().status, 404);
  EXPECT_EQ(client.local_port(), first);

  HttpReply closing = client.get("/healthz", {{"Connection", "close"}}).value();
  EXPECT_EQ(closing.status, 200);
  EXPECT_FALSE(closing.keep_alive);
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace kutsu::admin::testing
