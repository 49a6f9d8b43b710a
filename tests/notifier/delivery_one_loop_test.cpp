// "One event loop" (architecture.md): SMTP and webhook transfers share one
// io_context thread, and a server that stalls one transfer does not hold up
// the others.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

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
  for (const AttemptResult& result : others.all) {
    EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  }
  EXPECT_EQ(stalled.size(), 0u);  // still waiting for a greeting
}

// curl's own SMTP transfer waited for the reply to the end of DATA inside
// the loop's handler; SmtpConnection waits in Asio, so a relay that takes
// the message and never answers holds up nothing else on the loop.
TEST(DeliveryOneLoop, ARelayThatNeverAnswersTheMessageDoesNotHoldUpTheLoop) {
  kutsu::testing::SmtpServer silent_after_data({.hang = "data"});
  kutsu::testing::SmtpServer healthy;
  boost::asio::io_context io;
  auto stuck = SmtpTransport::create(io, {.url = silent_after_data.url(),
                                          .starttls = StartTls::off,
                                          .timeout = std::chrono::seconds(20)});
  auto mail = SmtpTransport::create(io, {.url = healthy.url(), .starttls = StartTls::off});
  ASSERT_TRUE(stuck && mail);

  Results stalled, others;
  (*stuck)->send(hand_written_email("a", "a@example.org"), stalled.add());
  auto started = std::chrono::steady_clock::now();
  bool fired = false;
  boost::asio::steady_timer timer(io, std::chrono::milliseconds(100));
  timer.async_wait([&](boost::system::error_code) { fired = true; });
  for (int i = 0; i < 5; ++i) {
    (*mail)->send(hand_written_email("b", "b@example.org"), others.add());
  }
  ASSERT_TRUE(run_until(
      io, [&] { return fired && others.size() == 5; }, std::chrono::seconds(10)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  for (const AttemptResult& result : others.all) {
    EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  }
  EXPECT_EQ(stalled.size(), 0u);  // the message went in; its reply never comes
}

}  // namespace
}  // namespace kutsu::notifier
