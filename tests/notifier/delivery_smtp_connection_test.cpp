// SmtpConnection's own dialogue against a real SMTP server (aiosmtpd) on
// loopback: with and without PIPELINING, dot transparency, the RSET after a
// refusal, and a connection the server closed while it was idle.
#include <gtest/gtest.h>

#include "notifier/smtp_transport.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"
#include "tests/notifier/smtp_test_support.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::SmtpServer;
using testing::hand_written_email;
using testing::loopback;
using testing::make_transport;
using testing::Results;
using testing::run_until;
using testing::send_one;

class SmtpDialogue : public ::testing::TestWithParam<bool> {
 protected:
  bool pipelining() const { return GetParam(); }
};

TEST_P(SmtpDialogue, MessagesWithDotsAtLineStartsArriveIntactOnOneConnection) {
  SmtpServer server({.pipelining = pipelining()});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  Results results;
  std::vector<EmailMessage> sent;
  for (int i = 0; i < 3; ++i) {
    EmailMessage message =
        hand_written_email("id-" + std::to_string(i), "o" + std::to_string(i) + "@example.org");
    message.bytes += ".\r\n..kaksi pistettä\r\n.";  // a lone dot would end DATA if sent as is
    sent.push_back(message);
    transport->send(std::move(message), results.add());
  }
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 3; }));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results.all[i].outcome, AttemptOutcome::sent) << results.all[i].detail;
    EXPECT_EQ(results.all[i].detail, "250 2.0.0 OK: queued");
    auto message = server.next_message();
    ASSERT_TRUE(message);
    EXPECT_EQ(message->rcpt_tos, std::vector<std::string>{sent[i].envelope_to});
    EXPECT_EQ(message->data, sent[i].bytes + "\r\n");  // a last line gets its CRLF
    EXPECT_EQ(message->connection, 1);
    // Only when offered (RFC 2920): a server without it may drop what comes early.
    EXPECT_EQ(message->pipelined, pipelining());
  }
}

TEST_P(SmtpDialogue, ARefusedRecipientIsReportedAndTheNextMessageStillGoes) {
  SmtpServer server({.rcpt_reply = "550 5.1.1 No such user here",
                     .rcpt_reply_for = "poistunut@example.org",
                     .pipelining = pipelining()});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  for (int round = 0; round < 2; ++round) {
    AttemptResult refused =
        send_one(io, *transport, hand_written_email("a", "poistunut@example.org"));
    EXPECT_EQ(refused.outcome, AttemptOutcome::permanent);
    EXPECT_EQ(refused.code, 550);
    EXPECT_EQ(refused.detail, "550 5.1.1 No such user here");
    AttemptResult next = send_one(io, *transport, hand_written_email("b", "b@example.org"));
    EXPECT_EQ(next.outcome, AttemptOutcome::sent) << next.detail;
    auto message = server.next_message();
    ASSERT_TRUE(message);
    EXPECT_EQ(message->rcpt_tos, std::vector<std::string>{"b@example.org"});
    EXPECT_EQ(message->connection, 1);  // the refusal did not cost the connection
  }
}

TEST_P(SmtpDialogue, ARefusalAfterTheMessageKeepsItsCode) {
  SmtpServer server(
      {.data_reply = "452 4.3.1 Insufficient system storage", .pipelining = pipelining()});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  for (int i = 0; i < 2; ++i) {
    AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
    EXPECT_EQ(result.outcome, AttemptOutcome::retry);
    EXPECT_EQ(result.code, 452);
    EXPECT_EQ(result.detail, "452 4.3.1 Insufficient system storage");
    auto message = server.next_message();
    ASSERT_TRUE(message);
    EXPECT_EQ(message->connection, 1);
  }
}

// A relay shutting down answers the end of DATA with 421 and closes at
// once; the fixture sends both in one segment, so the reply and the end of
// the connection are read together, as from any relay when the client reads
// late. The reply says why, and the next message goes on a new connection.
TEST_P(SmtpDialogue, A421AndCloseReadTogetherKeepsTheReply) {
  SmtpServer server({.data_reply = "421 4.3.2 Shutting down, try later",
                     .pipelining = pipelining(),
                     .fault_count = 2});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  for (int i = 0; i < 2; ++i) {
    AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
    EXPECT_EQ(result.outcome, AttemptOutcome::retry);
    EXPECT_EQ(result.code, 421);
    EXPECT_EQ(result.detail, "421 4.3.2 Shutting down, try later");
    auto message = server.next_message();
    ASSERT_TRUE(message);
    EXPECT_EQ(message->connection, i + 1);
  }
  AttemptResult result = send_one(io, *transport, hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  auto message = server.next_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->connection, 3);
}

TEST_P(SmtpDialogue, AConnectionTheServerClosedWhileIdleIsReplacedWithoutAFailure) {
  SmtpServer server({.pipelining = pipelining(), .idle_timeout = std::chrono::milliseconds(300)});
  boost::asio::io_context io;
  auto transport = make_transport(io, loopback(server));
  EXPECT_EQ(send_one(io, *transport, hand_written_email("a", "b@example.org")).outcome,
            AttemptOutcome::sent);
  ASSERT_EQ(server.next_message()->connection, 1);
  ASSERT_EQ(server.closed(), 1);  // the server's idle timeout

  AttemptResult again = send_one(io, *transport, hand_written_email("b", "b@example.org"));
  EXPECT_EQ(again.outcome, AttemptOutcome::sent) << again.detail;
  auto message = server.next_message();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->connection, 2);
}

TEST_P(SmtpDialogue, OverStartTlsAndLoggedInTheMessagesShareOneConnection) {
  SmtpServer server({.auth_user = "kutsu",
                     .auth_password = "salainen sana",
                     .starttls = true,
                     .require_starttls = true,
                     .pipelining = pipelining()});
  boost::asio::io_context io;
  SmtpSettings settings = loopback(server);
  settings.starttls = StartTls::required;
  settings.ca_file = server.ca_file();
  settings.username = "kutsu";
  settings.password = "salainen sana";
  auto transport = make_transport(io, settings);
  for (int i = 0; i < 3; ++i) {
    const EmailMessage sent = hand_written_email("id-" + std::to_string(i), "b@example.org");
    AttemptResult result = send_one(io, *transport, sent);
    EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
    auto message = server.next_message();
    ASSERT_TRUE(message);
    EXPECT_TRUE(message->tls);
    EXPECT_EQ(message->auth_user, "kutsu");
    EXPECT_EQ(message->data, sent.bytes);
    EXPECT_EQ(message->connection, 1);
    EXPECT_EQ(message->pipelined, pipelining());  // as offered by the EHLO after STARTTLS
  }
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutPipelining, SmtpDialogue, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Pipelining" : "OneCommandAtATime";
                         });

}  // namespace
}  // namespace kutsu::notifier
