// What the renderer makes of the example series goes out unchanged: the
// rendered reminder reaches the SMTP server byte for byte, and the rendered
// webhook body arrives with a signature the receiver verifies.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agenda/series_parser.h"
#include "notifier/renderer.h"
#include "notifier/smtp_transport.h"
#include "notifier/webhook_transport.h"
#include "scheduler/planner.h"
#include "tests/fixtures/http_receiver.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier {
namespace {

using testing::Results;
using testing::run_until;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// The example series with the team's webhook endpoint added.
class DeliveryRendered : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::path path =
        std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "aluevaltuutetut-2022.toml";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string toml = text.str();
    std::string anchor = "participants = \"aluevaltuutetut-2022.csv\"\n";
    ASSERT_NE(toml.find(anchor), std::string::npos);
    toml.insert(toml.find(anchor) + anchor.size(), "webhooks = [\"tiimi\"]\n");
    agenda::SeriesLoad load = agenda::parse_series(toml, path);
    ASSERT_TRUE(load.series) << (load.diagnostics.empty() ? "" : load.diagnostics[0].message);
    series_ = std::move(*load.series);
    plan_ = scheduler::plan_series(series_);
    ASSERT_TRUE(plan_.diagnostics.empty());
    context_.from = "Webinaarit <webinaarit@example.org>";
    context_.now = date::sys_days{date::year{2022} / 2 / 1} + std::chrono::hours(7);
  }

  const model::Notification& first(agenda::Channel channel) {
    for (const model::Notification& n : plan_.notifications) {
      if (n.channel == channel && n.kind == model::NotificationKind::reminder) return n;
    }
    throw std::runtime_error("no reminder on that channel");
  }

  agenda::Series series_;
  scheduler::Plan plan_;
  RenderContext context_;
  Renderer renderer_{TemplateSource{}};
};

TEST_F(DeliveryRendered, ReminderEmailArrivesByteForByte) {
  Result<EmailMessage> message = renderer_.render_email(first(agenda::Channel::email), context_);
  ASSERT_TRUE(message) << message.error().message;
  kutsu::testing::SmtpServer server;
  boost::asio::io_context io;
  auto transport = SmtpTransport::create(
      io, {.url = server.url(), .starttls = StartTls::off, .max_connections = 1});
  ASSERT_TRUE(transport) << transport.error().message;
  Results results;
  (*transport)->send(*message, results.add());
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 1; }));
  EXPECT_EQ(results.all[0].outcome, AttemptOutcome::sent) << results.all[0].detail;
  auto received = server.next_message();
  ASSERT_TRUE(received);
  EXPECT_EQ(received->mail_from, message->envelope_from);
  EXPECT_EQ(received->rcpt_tos, std::vector<std::string>{message->envelope_to});
  EXPECT_TRUE(received->data_is_utf8);
  EXPECT_EQ(received->data, message->bytes);
}

TEST_F(DeliveryRendered, ReminderWebhookIsVerifiedByTheReceiver) {
  Result<WebhookCall> call = renderer_.render_webhook(first(agenda::Channel::webhook), context_);
  ASSERT_TRUE(call) << call.error().message;
  kutsu::testing::HttpReceiver receiver({.secret = kSecret});
  boost::asio::io_context io;
  WebhookSettings settings;
  settings.endpoints = {{"tiimi", receiver.url(), kSecret}};
  auto transport = WebhookTransport::create(io, settings, [&] { return context_.now; });
  ASSERT_TRUE(transport) << transport.error().message;
  Results results;
  (*transport)->send(*call, results.add());
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 1; }));
  EXPECT_EQ(results.all[0].outcome, AttemptOutcome::sent) << results.all[0].detail;
  auto request = receiver.next_request();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->body, call->body);
  EXPECT_EQ(request->headers["webhook-id"], call->notification_id);
  EXPECT_EQ(request->signature_ok, true);
}

}  // namespace
}  // namespace kutsu::notifier
