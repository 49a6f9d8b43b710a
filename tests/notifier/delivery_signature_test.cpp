// The Standard Webhooks signature against the specification's published test
// vector, and reading Retry-After.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notifier/retry_after.h"
#include "notifier/webhook_signature.h"

namespace kutsu::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

date::sys_seconds unix_seconds(long long seconds) {
  return date::sys_seconds{std::chrono::seconds(seconds)};
}

// From the Standard Webhooks specification's reference libraries.
TEST(DeliverySignature, ReproducesThePublishedTestVector) {
  auto signer = WebhookSigner::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->sign("msg_p5jXN8AQM9LWM0D4loKWxJek", unix_seconds(1614265330),
                         R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(DeliverySignature, PrefixIsOptionalAsInTheReferenceLibraries) {
  auto with = WebhookSigner::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  auto without = WebhookSigner::from_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->sign("id", unix_seconds(1), "{}"), without->sign("id", unix_seconds(1), "{}"));
}

TEST(DeliverySignature, EveryInputChangesTheSignature) {
  auto signer = WebhookSigner::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(signer);
  std::string base = signer->sign("msg_1", unix_seconds(1614265330), "{}");
  EXPECT_NE(base, signer->sign("msg_2", unix_seconds(1614265330), "{}"));
  EXPECT_NE(base, signer->sign("msg_1", unix_seconds(1614265331), "{}"));
  EXPECT_NE(base, signer->sign("msg_1", unix_seconds(1614265330), "{ }"));
}

TEST(DeliverySignature, SecretThatIsNotBase64IsRejectedWithoutEchoingIt) {
  for (const char* secret : {"whsec_", "whsec_c2VjcmV0!!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
                             "whsec_MfKQ9r8GKYqr TwjUPD8ILPZIo2LaLaSw"}) {
    auto signer = WebhookSigner::from_secret(secret);
    ASSERT_FALSE(signer) << secret;
    EXPECT_THAT(signer.error().message, HasSubstr("\"whsec_\" followed by base64"));
    EXPECT_THAT(signer.error().message, Not(HasSubstr("c2Vj")));
  }
}

TEST(DeliveryRetryAfter, ReadsSecondsAndAllThreeDateForms) {
  date::sys_seconds now = date::sys_days{date::year{2022} / 2 / 2} + std::chrono::hours(15);
  EXPECT_EQ(parse_retry_after("7", now), std::chrono::seconds(7));
  EXPECT_EQ(parse_retry_after(" 120 ", now), std::chrono::seconds(120));
  EXPECT_EQ(parse_retry_after("0", now), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 02 Feb 2022 15:00:30 GMT", now), std::chrono::seconds(30));
  EXPECT_EQ(parse_retry_after("Wednesday, 02-Feb-22 15:01:00 GMT", now), std::chrono::seconds(60));
  EXPECT_EQ(parse_retry_after("Wed Feb  2 15:02:00 2022", now), std::chrono::seconds(120));
  EXPECT_EQ(parse_retry_after("Tue, 01 Feb 2022 15:00:00 GMT", now), std::chrono::seconds(0));
}

// Found while writing the retry_after fuzz target (tests/fuzz; its corpus
// keeps the input, which UBSan flags there): a receiver answering "Retry-After: 9223372036854775807" overflowed the dispatcher's
// next attempt (now + wait: signed overflow, UBSan); a year-9999 date
// parked the notification for eight thousand years.
TEST(DeliveryRetryAfter, AWaitIsAtMostADay) {
  date::sys_seconds now = date::sys_days{date::year{2022} / 2 / 2} + std::chrono::hours(15);
  EXPECT_EQ(parse_retry_after("86400", now), std::chrono::hours(24));
  EXPECT_EQ(parse_retry_after("86401", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("9223372036854775807", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("Thu, 03 Feb 2022 14:59:59 GMT", now),
            std::chrono::hours(24) - std::chrono::seconds(1));
  EXPECT_EQ(kMaxRetryAfter, std::chrono::hours(24));
}

TEST(DeliveryRetryAfter, IgnoresWhatItCannotRead) {
  date::sys_seconds now = date::sys_days{date::year{2022} / 2 / 2};
  for (const char* value :
       {"", "soon", "-5", "7.5", "Wed, 02 Feb 2022 15:00:30", "99999999999999999999"}) {
    EXPECT_FALSE(parse_retry_after(value, now)) << value;
  }
}

}  // namespace
}  // namespace kutsu::notifier
