// "One event loop" (architecture.md): SMTP and webhook transfers share one
// io_context thread, and a server that stalls one transfer does not hold up
// the others.
#include <gtest/gtest.h>

#include "notifier/smtp_transport.h"
#include "notifier/webhook_transport.h"
#include "tests/fixtures/http_receiver.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier {
namespace {

using testing::hand_written_email;
using testing::Results;
using testing::run_until;
using Outcome = DeliveryResult::Outcome;

TEST(DeliveryOneLoop, StalledSmtpServerDoesNotHoldUpOtherTransfers) {
  kutsu::testing::SmtpServer silent({.hang = "greeting"});
  kutsu::testing::SmtpServer healthy;
  kutsu::testing::HttpReceiver receiver;
  boost::asio::io_context io;
  auto stuck = SmtpTransport::create(
      io, {.url = silent.url(), .starttls = StartTls::off, .timeout = std::chrono::seconds(20)});
  auto mail = SmtpTransport::create(io, {.url = healthy.url(), .starttls = StartTls::off});
  WebhookSettings settings;
  settings.endpoints = {{"tiimi", receiver.url(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}};
  auto hooks = WebhookTransport::create(io, settings, [] { return date::sys_seconds{}; });
  ASSERT_TRUE(stuck && mail && hooks);

  Results stalled, others;
  (*stuck)->send(hand_written_email("a", "a@example.org"), stalled.add());
  for (int i = 0; i < 5; ++i) {
    (*mail)->send(hand_written_email("b", "b@example.org"), others.add());
    (*hooks)->send({"id-" + std::to_string(i), "tiimi", "{}"}, others.add());
  }
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      io, [&] { return others.size() == 10; }, std::chrono::seconds(10)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  for (const DeliveryResult& result : others.all) {
    EXPECT_EQ(result.outcome, Outcome::sent) << result.detail;
  }
  EXPECT_EQ(stalled.size(), 0u);  // still waiting for a greeting
}

}  // namespace
}  // namespace kutsu::notifier
