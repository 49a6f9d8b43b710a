// WebhookTransport against a real HTTP server on loopback that checks the
// Standard Webhooks signature with its own (Python) implementation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "notifier/webhook_transport.h"
#include "tests/fixtures/http_receiver.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::HttpReceiver;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Results;
using testing::run_until;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kBody =
    R"({"type": "reminder", "id": "3f0c", "offset": "PT1H", "series": {"id": "aluevaltuutetut-2022", "title": "Uusien aluevaltuutettujen webinaarisarja"}})";

// 2022-02-02T15:00:00Z, an hour before the first webinar.
date::sys_seconds reminder_time() {
  return date::sys_days{date::year{2022} / 2 / 2} + std::chrono::hours(15);
}

struct Fixture {
  explicit Fixture(const std::string& url,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    WebhookSettings settings;
    settings.endpoints = {{"tiimi", url, kSecret}};
    settings.timeout = timeout;
    auto created = WebhookTransport::create(io, settings, [this] { return now; });
    if (!created) {
      ADD_FAILURE() << created.error().message;
    } else {
      transport = std::move(*created);
    }
  }

  AttemptResult send(const std::string& id = "3f0c0bd1a2b34c5d") {
    Results results;
    transport->send({id, "tiimi", kBody}, results.add());
    EXPECT_TRUE(run_until(io, [&] { return results.size() == 1; }));
    return results.size() == 1 ? results.all[0] : AttemptResult{};
  }

  boost::asio::io_context io;
  date::sys_seconds now = reminder_time();
  std::unique_ptr<WebhookTransport> transport;
};

TEST(DeliveryWebhook, SignedPostIsSentAndVerifiedByTheReceiver) {
  HttpReceiver receiver({.statuses = "200", .secret = kSecret});
  Fixture fixture(receiver.url("/hooks/kutsu"));
  AttemptResult result = fixture.send();
  EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  EXPECT_EQ(result.code, 200);
  EXPECT_EQ(result.detail, "HTTP/1.1 200 OK");
  auto request = receiver.next_request();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/hooks/kutsu");
  EXPECT_EQ(request->body, kBody);
  EXPECT_EQ(request->headers["content-type"], "application/json");
  EXPECT_EQ(request->headers["webhook-id"], "3f0c0bd1a2b34c5d");
  EXPECT_EQ(request->headers["webhook-timestamp"], "1643814000");
  EXPECT_THAT(request->headers["webhook-signature"], ::testing::StartsWith("v1,"));
  EXPECT_EQ(request->signature_ok, true);
  EXPECT_FALSE(request->headers.contains("expect"));
}

TEST(DeliveryWebhook, ServerErrorIsRetry) {
  HttpReceiver receiver({.statuses = "500"});
  Fixture fixture(receiver.url());
  AttemptResult result = fixture.send();
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, 500);
  EXPECT_EQ(result.detail, "HTTP/1.1 500 Internal Server Error");
  EXPECT_FALSE(result.retry_after);
}

TEST(DeliveryWebhook, TooManyRequestsHonoursRetryAfter) {
  HttpReceiver receiver({.statuses = "429:Retry-After=7"});
  Fixture fixture(receiver.url());
  AttemptResult result = fixture.send();
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, 429);
  EXPECT_EQ(result.retry_after, std::chrono::seconds(7));
}

TEST(DeliveryWebhook, RetryAfterAsHttpDateCountsFromTheClock) {
  // The receiver's status list is comma-separated, so the date comes in
  // asctime form, which has no comma.
  HttpReceiver receiver({.statuses = "503:Retry-After=Wed Feb  2 15:02:00 2022"});
  Fixture fixture(receiver.url());
  AttemptResult result = fixture.send();
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, 503);
  EXPECT_EQ(result.retry_after, std::chrono::seconds(120));
}

TEST(DeliveryWebhook, RequestTimeoutIsRetryAndOtherClientErrorsPermanent) {
  HttpReceiver receiver({.statuses = "408,400,404,301"});
  Fixture fixture(receiver.url());
  EXPECT_EQ(fixture.send().outcome, AttemptOutcome::retry);
  AttemptResult bad_request = fixture.send();
  EXPECT_EQ(bad_request.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(bad_request.code, 400);
  EXPECT_EQ(bad_request.detail, "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(fixture.send().outcome, AttemptOutcome::permanent);
  AttemptResult moved = fixture.send();
  EXPECT_EQ(moved.outcome, AttemptOutcome::permanent);  // redirects are not followed
  EXPECT_EQ(moved.code, 301);
}

TEST(DeliveryWebhook, RetryKeepsTheIdAndSignsTheNewTimestamp) {
  HttpReceiver receiver({.statuses = "500,200", .secret = kSecret});
  Fixture fixture(receiver.url());
  EXPECT_EQ(fixture.send().outcome, AttemptOutcome::retry);
  fixture.now += std::chrono::seconds(30);  // the backoff's first step
  EXPECT_EQ(fixture.send().outcome, AttemptOutcome::sent);
  auto first = receiver.next_request();
  auto second = receiver.next_request();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->headers["webhook-id"], second->headers["webhook-id"]);
  EXPECT_EQ(first->headers["webhook-timestamp"], "1643814000");
  EXPECT_EQ(second->headers["webhook-timestamp"], "1643814030");
  EXPECT_NE(first->headers["webhook-signature"], second->headers["webhook-signature"]);
  EXPECT_EQ(first->signature_ok, true);
  EXPECT_EQ(second->signature_ok, true);
}

TEST(DeliveryWebhook, KeepsTheConnectionAlive) {
  HttpReceiver receiver;
  Fixture fixture(receiver.url());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fixture.send().outcome, AttemptOutcome::sent);
  auto first = receiver.next_request();
  ASSERT_TRUE(first);
  for (int i = 1; i < 3; ++i) {
    auto next = receiver.next_request();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->connection, first->connection) << "request " << i << " reconnected";
  }
}

TEST(DeliveryWebhook, ReceiverThatNeverAnswersIsRetryWithinTheTimeout) {
  HttpReceiver receiver({.statuses = "hang"});
  Fixture fixture(receiver.url(), std::chrono::milliseconds(1000));
  auto started = std::chrono::steady_clock::now();
  AttemptResult result = fixture.send();
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, std::nullopt);
  EXPECT_THAT(result.detail, HasSubstr("timed out"));
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST(DeliveryWebhook, ConnectionRefusedIsRetry) {
  boost::asio::io_context probe;
  boost::asio::ip::tcp::acceptor acceptor(
      probe, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  int port = acceptor.local_endpoint().port();
  acceptor.close();
  Fixture fixture("http://127.0.0.1:" + std::to_string(port) + "/hook");
  AttemptResult result = fixture.send();
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, std::nullopt);
}

TEST(DeliveryWebhook, UnknownEndpointOrUnsafeIdIsPermanent) {
  HttpReceiver receiver;
  Fixture fixture(receiver.url());
  Results results;
  fixture.transport->send({"3f0c", "muu", kBody}, results.add());
  fixture.transport->send({"3f0c\r\nX-Evil: 1", "tiimi", kBody}, results.add());
  ASSERT_TRUE(run_until(fixture.io, [&] { return results.size() == 2; }));
  EXPECT_EQ(results.all[0].outcome, AttemptOutcome::permanent);
  EXPECT_EQ(results.all[0].detail, "no webhook named \"muu\" is configured");
  EXPECT_EQ(results.all[1].outcome, AttemptOutcome::permanent);
  EXPECT_FALSE(receiver.next_request(std::chrono::milliseconds(200)));
}

TEST(DeliveryWebhook, CreateRejectsBadConfigWithoutShowingTheSecret) {
  boost::asio::io_context io;
  auto now = [] { return reminder_time(); };
  WebhookSettings settings;
  settings.endpoints = {{"tiimi", "https://hooks.example.org/x", "whsec_not base64!"}};
  auto bad_secret = WebhookTransport::create(io, settings, now);
  ASSERT_FALSE(bad_secret);
  EXPECT_THAT(bad_secret.error().message, HasSubstr("webhook \"tiimi\": "));
  EXPECT_THAT(bad_secret.error().message, Not(HasSubstr("base64!")));
  settings.endpoints = {{"tiimi", "ftp://hooks.example.org/x", kSecret}};
  EXPECT_EQ(WebhookTransport::create(io, settings, now).error().message,
            "webhook \"tiimi\": url must be an http:// or https:// URL");
  settings.endpoints = {{"tiimi", "https://a.example.org/", kSecret},
                        {"tiimi", "https://b.example.org/", kSecret}};
  EXPECT_EQ(WebhookTransport::create(io, settings, now).error().message,
            "webhook \"tiimi\": a webhook with this name is already configured");
}

}  // namespace
}  // namespace kutsu::notifier
