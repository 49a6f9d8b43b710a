// The SMTP wire rules without a server: replies cut from a byte stream, the
// DATA payload's transparency, and reading EHLO extensions.
#include "notifier/detail/smtp_wire.h"

#include <gtest/gtest.h>

namespace kutsu::notifier::detail {
namespace {

TEST(SmtpWire, RepliesArriveWhateverTheServerWritesAtOnce) {
  SmtpReplyReader reader;
  ASSERT_TRUE(reader.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n35"));
  ASSERT_TRUE(reader.feed("4 End data with <CR><LF>.<CR><LF>\r\n"));
  std::optional<SmtpReply> mail = reader.next();
  std::optional<SmtpReply> rcpt = reader.next();
  std::optional<SmtpReply> data = reader.next();
  ASSERT_TRUE(mail && rcpt && data);
  EXPECT_EQ(mail->code, 250);
  EXPECT_EQ(mail->line, "250 2.1.0 Ok");
  EXPECT_EQ(rcpt->line, "250 2.1.5 Ok");
  EXPECT_EQ(data->code, 354);
  EXPECT_EQ(data->line, "354 End data with <CR><LF>.<CR><LF>");
  EXPECT_FALSE(reader.next());
  EXPECT_FALSE(reader.has_partial());
}

TEST(SmtpWire, AMultiLineReplyIsOneReplyShownByItsLastLine) {
  SmtpReplyReader reader;
  ASSERT_TRUE(reader.feed("550-5.1.1 The mailbox does not exist.\r\n550-5.1.1 Please check"));
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.has_partial());
  ASSERT_TRUE(reader.feed(" it.\n550 5.1.1 https://example.org/help\r\n"));
  std::optional<SmtpReply> reply = reader.next();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->code, 550);
  EXPECT_EQ(reply->line, "550 5.1.1 https://example.org/help");
  EXPECT_FALSE(reader.next());
}

TEST(SmtpWire, WhatIsNotAReplyIsRefused) {
  EXPECT_FALSE(SmtpReplyReader().feed("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_FALSE(SmtpReplyReader().feed("25\r\n"));
  EXPECT_FALSE(SmtpReplyReader().feed("250x\r\n"));
  EXPECT_FALSE(SmtpReplyReader().feed("250-one\r\n451 other\r\n"));       // codes differ
  EXPECT_FALSE(SmtpReplyReader().feed("250 " + std::string(5000, 'a')));  // no end in sight
  SmtpReplyReader bare;
  EXPECT_TRUE(bare.feed("221\r\n"));
  EXPECT_EQ(bare.next()->code, 221);
}

// Found while writing the smtp_reply fuzz target's check that the cut does
// not matter (tests/fuzz; its corpus keeps the input): a line of the longest length (4096 bytes) was accepted when
// its CRLF arrived in one read, but refused as "not SMTP" when a read ended
// between its CR and its LF.
TEST(SmtpWire, TheLongestLineIsAReplyWhereverItsCrLfIsCut) {
  const std::string line = "250 " + std::string(4092, 'x');
  SmtpReplyReader whole;
  ASSERT_TRUE(whole.feed(line + "\r\n"));
  EXPECT_EQ(whole.next()->line, line);
  SmtpReplyReader cut;
  ASSERT_TRUE(cut.feed(line + "\r"));
  EXPECT_FALSE(cut.next());
  ASSERT_TRUE(cut.feed("\n"));
  std::optional<SmtpReply> reply = cut.next();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->code, 250);
  EXPECT_EQ(reply->line, line);
  // One byte more is too long, however it is cut.
  EXPECT_FALSE(SmtpReplyReader().feed(line + "y\r\n"));
  SmtpReplyReader longer;
  EXPECT_FALSE(longer.feed(line + "y\r") && longer.feed("\n"));
}

TEST(SmtpWire, ALineStartingWithADotGetsASecondOne) {
  EXPECT_EQ(data_payload("a\r\n.b\r\n..c\r\n"), "a\r\n..b\r\n...c\r\n.\r\n");
  EXPECT_EQ(data_payload(".first\r\nlast"), "..first\r\nlast\r\n.\r\n");
  EXPECT_EQ(data_payload("a.b\r\n"), "a.b\r\n.\r\n");  // only at a line's start
  EXPECT_EQ(data_payload(""), ".\r\n");
}

TEST(SmtpWire, EhloExtensionsAreKeywordsWithoutCase) {
  EXPECT_TRUE(offers_extension("250-PIPELINING", "PIPELINING"));
  EXPECT_TRUE(offers_extension("250 pipelining", "PIPELINING"));
  EXPECT_FALSE(offers_extension("250-PIPELININGX", "PIPELINING"));
  EXPECT_FALSE(offers_extension("250-SIZE 1000 PIPELINING", "PIPELINING"));
  EXPECT_FALSE(offers_extension("220 PIPELINING", "PIPELINING"));
}

}  // namespace
}  // namespace kutsu::notifier::detail
