// SmtpTransport against a real SMTP server (aiosmtpd) on loopback: what the
// server receives, over how many connections, and how each fault is
// classified for the outbox.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <set>

#include "notifier/smtp_transport.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"
#include "tests/notifier/smtp_test_support.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::SmtpServer;
using testing::hand_written_email;
using ::testing::HasSubstr;
using testing::loopback;
using testing::make_transport;
using ::testing::Not;
using testing::Results;
using testing::run_until;
using testing::send_one;

// A loopback port nobody listens on: bound once to learn a free number, then closed.
int refused_port(boost::asio::io_context& io) {
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

TEST(DeliverySmtp, SeveralMessagesGoThroughOneConnectionByteForByte) {
  SmtpServer server;
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server, 1));
  Results results;
  for (int i = 0; i < 5; ++i) {
    transport->send(hand_written_email("id-" + std::to_string(i),
                                       "osallistuja" + std::to_string(i) + "@example.org"),
                    results.add());
  }
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 5; }));
  for (const AttemptResult& result : results.all) {
    EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
    EXPECT_EQ(result.code, 250);
    EXPECT_EQ(result.detail, "250 2.0.0 OK: queued");
  }
  for (int i = 0; i < 5; ++i) {
    auto message = server.next_message();
    ASSERT_TRUE(message) << server.url();
    std::string to = "osallistuja" + std::to_string(i) + "@example.org";
    EXPECT_EQ(message->mail_from, "webinaarit@example.org");
    EXPECT_EQ(message->rcpt_tos, std::vector<std::string>{to});
    EXPECT_EQ(message->data, hand_written_email("id-" + std::to_string(i), to).bytes);
    EXPECT_EQ(message->connection, 1) << "message " << i << " opened a new connection";
  }
}

TEST(DeliverySmtp, UsesUpToMaxConnectionsInParallelAndNoMore) {
  SmtpServer server;
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server, 3));
  Results results;
  for (int i = 0; i < 24; ++i) {
    transport->send(hand_written_email("id-" + std::to_string(i), "a@example.org"), results.add());
  }
  EXPECT_EQ(transport->queued(), 21u);  // three are on their way, the rest wait
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 24; }));
  std::set<int> connections;
  int most_at_once = 0;
  for (int i = 0; i < 24; ++i) {
    EXPECT_EQ(results.all[i].outcome, AttemptOutcome::sent) << results.all[i].detail;
    auto message = server.next_message();
    ASSERT_TRUE(message);
    connections.insert(message->connection);
    most_at_once = std::max(most_at_once, message->concurrent);
  }
  EXPECT_EQ(connections, (std::set<int>{1, 2, 3}));
  EXPECT_EQ(most_at_once, 3);
}

TEST(DeliverySmtp, AuthenticatesWithThePassword) {
  SmtpServer server({.auth_user = "kutsu", .auth_password = "salainen sana"});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.username = "kutsu";
  settings.password = "salainen sana";
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  auto message = server.next_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->auth_user, "kutsu");
}

TEST(DeliverySmtp, WrongPasswordIsPermanentAndNeverShown) {
  SmtpServer server({.auth_user = "kutsu", .auth_password = "oikea"});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.username = "kutsu";
  settings.password = "v44r4-s4l4s4n4";
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(result.code, 535);
  EXPECT_THAT(result.detail, HasSubstr("535"));
  EXPECT_THAT(result.detail, Not(HasSubstr("v44r4")));
}

TEST(DeliverySmtp, MissingAuthIsPermanentWithTheServersReply) {
  SmtpServer server({.auth_user = "kutsu", .auth_password = "oikea"});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(result.code, 530);
  EXPECT_EQ(result.detail, "530 5.7.0 Authentication required");
}

TEST(DeliverySmtp, StartTlsRequiredButNotOfferedIsPermanent) {
  SmtpServer server;
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.starttls = StartTls::required;
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(result.detail, "the server does not offer STARTTLS and starttls = \"required\"");
  EXPECT_FALSE(server.next_message(std::chrono::milliseconds(200)));
}

TEST(DeliverySmtp, StartTlsRequiredUpgradesTheConnection) {
  SmtpServer server({.starttls = true, .require_starttls = true});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.starttls = StartTls::required;
  settings.ca_file = server.ca_file();
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  auto message = server.next_message();
  ASSERT_TRUE(message);
  EXPECT_TRUE(message->tls);
  EXPECT_EQ(message->data, hand_written_email("a", "b@example.org").bytes);
}

TEST(DeliverySmtp, SmtpsSpeaksTlsFromTheFirstByte) {
  SmtpServer server({.implicit_tls = true});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  ASSERT_EQ(settings.url.rfind("smtps://", 0), 0u) << settings.url;
  settings.ca_file = server.ca_file();
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  auto message = server.next_message();
  ASSERT_TRUE(message);
  EXPECT_TRUE(message->tls);
  EXPECT_EQ(message->data, hand_written_email("a", "b@example.org").bytes);
}

TEST(DeliverySmtp, UntrustedCertificateIsNotSentTo) {
  SmtpServer server({.starttls = true});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.starttls = StartTls::required;  // but the self-signed certificate is not trusted
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  // Retry: a certificate can be renewed or a CA added before the next attempt.
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.detail, "SSL certificate problem: self-signed certificate");
  EXPECT_FALSE(server.next_message(std::chrono::milliseconds(200)));
}

TEST(DeliverySmtp, TemporaryRejectionOfTheRecipientIsRetry) {
  SmtpServer server({.rcpt_reply = "451 4.3.0 Try again later"});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, 451);
  EXPECT_EQ(result.detail, "451 4.3.0 Try again later");
}

TEST(DeliverySmtp, PermanentRejectionOfTheRecipientIsPermanentWithTheReply) {
  SmtpServer server({.rcpt_reply = "550 5.1.1 No such user here"});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(result.code, 550);
  EXPECT_EQ(result.detail, "550 5.1.1 No such user here");
}

TEST(DeliverySmtp, RejectionAfterDataIsClassifiedByItsCode) {
  SmtpServer later({.data_reply = "451 4.7.1 Greylisted, try again"});
  SmtpServer never({.data_reply = "550 5.7.1 Message refused"});
  boost::asio::io_context io;
  auto to_later = make_transport(io, loopback(later));
  auto to_never = make_transport(io, loopback(never));
  AttemptResult retry = send_one(io, *to_later, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(retry.outcome, AttemptOutcome::retry);
  EXPECT_EQ(retry.code, 451);
  EXPECT_EQ(retry.detail, "451 4.7.1 Greylisted, try again");
  AttemptResult permanent = send_one(io, *to_never, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(permanent.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(permanent.code, 550);
  EXPECT_EQ(permanent.detail, "550 5.7.1 Message refused");
}

TEST(DeliverySmtp, ConnectionRefusedIsRetry) {
  boost::asio::io_context io;
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(refused_port(io));
  settings.starttls = StartTls::off;
  auto transport = make_transport(io, settings);
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.code, std::nullopt);
  EXPECT_THAT(result.detail, HasSubstr("127.0.0.1"));
}

TEST(DeliverySmtp, ServerThatNeverAnswersIsRetryWithinTheTimeout) {
  for (const char* where : {"greeting", "data"}) {
    SCOPED_TRACE(where);
    SmtpServer server({.hang = where});
    boost::asio::io_context io;
    SmtpSettings settings = loopback(server);
    settings.timeout = std::chrono::milliseconds(1500);
    auto transport = make_transport(io, settings);
    auto started = std::chrono::steady_clock::now();
    AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.outcome, AttemptOutcome::retry);
    EXPECT_THAT(result.detail, HasSubstr("no answer within 1500 ms"));
    EXPECT_GE(elapsed, std::chrono::milliseconds(1400));
    EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
  }
}

TEST(DeliverySmtp, EnvelopeAddressThatWouldInjectCommandsIsRefused) {
  SmtpServer server;
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  EmailMessage message = hand_written_email("a", "b@example.org");
  message.envelope_to = "b@example.org>\r\nRCPT TO:<victim@example.org";
  AttemptResult result = send_one(io, *transport, message);
  EXPECT_EQ(result.outcome, AttemptOutcome::permanent);
  EXPECT_EQ(result.detail, "invalid envelope address");
  EXPECT_FALSE(server.next_message(std::chrono::milliseconds(200)));
}

TEST(DeliverySmtp, SendNeverCallsBackBeforeReturning) {
  SmtpServer server;
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  Results results;
  EmailMessage bad = hand_written_email("a", "b@example.org");
  bad.envelope_from = "";
  transport->send(bad, results.add());
  transport->send(hand_written_email("a", "b@example.org"), results.add());
  EXPECT_EQ(results.size(), 0u);
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 2; }));
}

TEST(DeliverySmtp, DestroyingTheTransportAbandonsSendsInFlight) {
  SmtpServer server({.hang = "greeting"});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server, 2));
  Results results;
  for (int i = 0; i < 4; ++i)
    transport->send(hand_written_email("a", "b@example.org"), results.add());
  // Let the transfers get under way (there is no event to wait for: the server never answers).
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(300));
  auto destroying = std::chrono::steady_clock::now();
  transport.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - destroying, std::chrono::milliseconds(500));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(100));  // stale handlers run harmlessly
  EXPECT_EQ(results.size(), 0u);
}

TEST(DeliverySmtpSettings, StartTlsOffOnlyForLoopback) {
  SmtpSettings settings;
  settings.starttls = StartTls::off;
  for (const char* url :
       {"smtp://127.0.0.1:25", "smtp://127.1.2.3", "smtp://localhost:2525", "smtp://[::1]:25"}) {
    settings.url = url;
    EXPECT_TRUE(validate(settings)) << url;
  }
  settings.url = "smtp://mail.example.org:587";
  Status status = validate(settings);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "starttls = \"off\" is allowed only for a loopback server, not mail.example.org");
  settings.starttls = StartTls::opportunistic;
  EXPECT_TRUE(validate(settings));
}

TEST(DeliverySmtpSettings, RejectsWhatCannotWork) {
  SmtpSettings settings;
  settings.url = "http://mail.example.org";
  EXPECT_EQ(validate(settings).error().message,
            "url \"http://mail.example.org\" must start with smtp:// or smtps://");
  settings.url = "mail.example.org:587";
  EXPECT_FALSE(validate(settings));
  settings.url = "smtps://mail.example.org";
  settings.max_connections = 0;
  EXPECT_EQ(validate(settings).error().message, "max_connections must be at least 1");
  EXPECT_EQ(parse_starttls("sometimes").error().message,
            "starttls must be \"required\", \"opportunistic\" or \"off\", not \"sometimes\"");
  EXPECT_EQ(*parse_starttls("opportunistic"), StartTls::opportunistic);
}

}  // namespace
}  // namespace kutsu::notifier
