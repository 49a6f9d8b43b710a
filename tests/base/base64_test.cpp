// Base64 in both alphabets: exact padding, and one spelling per value.
#include <gtest/gtest.h>

#include "base/base64.h"
#include "base/hmac.h"

namespace kutsu {
namespace {

TEST(Base64, DecodesPaddingExactly) {
  EXPECT_EQ(*base64_decode("YQ=="), "a");
  EXPECT_EQ(*base64_decode("YWI="), "ab");
  EXPECT_EQ(*base64_decode("YWJj"), "abc");
  EXPECT_EQ(*base64_decode("AAAA"), std::string(3, '\0'));
  EXPECT_EQ(base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")->size(), 24u);
}

TEST(Base64, RejectsWhatIsNotCanonical) {
  for (const char* text : {"", "YQ=", "YQ", "Y Q==", "YQ=a", "=YQ=", "YR==", " YWJj", "YW\nJj"}) {
    EXPECT_FALSE(base64_decode(text)) << '"' << text << '"';
  }
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(base64_encode("a"), "YQ==");
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_EQ(base64_encode("abc"), "YWJj");
  EXPECT_EQ(base64_encode(""), "");
}

TEST(Base64, UrlSafeHasNoPaddingAndNoPlusOrSlash) {
  const std::string bytes("\xfb\xff\xbf\x00" "a", 5);
  EXPECT_EQ(base64_encode(bytes), "+/+/AGE=");
  EXPECT_EQ(base64url_encode(bytes), "-_-_AGE");
  EXPECT_EQ(base64url_decode("-_-_AGE").value(), bytes);
  EXPECT_EQ(base64url_decode("").value(), "");
}

TEST(Base64, UrlSafeRejectsTheOtherAlphabetAndLooseBits) {
  for (const char* text : {"+/+/AGE", "-_-_AGE=", "YQ=", "Y", "YR", "a b", "YW\nJj"}) {
    EXPECT_FALSE(base64url_decode(text)) << '"' << text << '"';
  }
}

// RFC 4231 test case 2.
TEST(Hmac, Sha256MatchesTheRfcVector) {
  const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(base64_encode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  EXPECT_TRUE(same_mac(mac, hmac_sha256("Jefe", "what do ya want for nothing?")));
  EXPECT_FALSE(same_mac(mac, hmac_sha256("Jefe", "what do ya want for nothing!")));
  EXPECT_FALSE(same_mac(mac, mac.substr(0, 31)));
}

}  // namespace
}  // namespace kutsu
