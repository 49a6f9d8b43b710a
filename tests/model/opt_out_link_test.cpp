// Opt-out links: the value against one computed by Python's hmac and base64
// modules, and every alteration refused.
#include <gtest/gtest.h>

#include "model/opt_out_link.h"

namespace kutsu::model {
namespace {

const std::string kKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// python3: base64.urlsafe_b64encode(subject).rstrip(b'=') + "." +
//   urlsafe_b64encode(hmac.new(key, b"kutsu opt-out\n" + subject, sha256).digest()).rstrip(b'=')
constexpr std::string_view kPythonValue =
    "YWx1ZXZhbHR1dXRldHV0LTIwMjIKbWFpamEubWVpa2FsYWluZW5AZXhhbXBsZS5maQ."
    "w4r-kXDPYdybjKLLvAuHsHAQIMmsk3n-aSDvJ7vB9bQ";

TEST(OptOutLink, TheValueIsTheSignedSeriesAndLowercasedAddress) {
  const OptOutLinks links("https://kutsu.example.org/", kKey);
  EXPECT_EQ(links.value("aluevaltuutetut-2022", "Maija.Meikalainen@Example.FI"), kPythonValue);
  EXPECT_EQ(links.url("aluevaltuutetut-2022", "maija.meikalainen@example.fi"),
            "https://kutsu.example.org/u/" + std::string(kPythonValue));
  EXPECT_EQ(links.read(kPythonValue),
            (OptOutSubject{"aluevaltuutetut-2022", "maija.meikalainen@example.fi"}));
}

TEST(OptOutLink, AnyAlterationOrAnotherKeyIsRefused) {
  const OptOutLinks links("https://kutsu.example.org", kKey);
  const std::string value(kPythonValue);
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string altered = value;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(links.read(altered)) << "position " << i;
  }
  // Another address under the same MAC, the MAC cut short, or no MAC.
  const std::string other = links.value("aluevaltuutetut-2022", "pekka@example.fi");
  EXPECT_FALSE(links.read(other.substr(0, other.find('.')) + value.substr(value.find('.'))));
  EXPECT_FALSE(links.read(value.substr(0, value.size() - 2)));
  EXPECT_FALSE(links.read(value.substr(0, value.find('.'))));
  EXPECT_FALSE(links.read(""));
  EXPECT_FALSE(links.read(std::string(5000, 'A') + "." + value.substr(value.find('.') + 1)));
  EXPECT_FALSE(OptOutLinks("https://kutsu.example.org", std::string(64, '0')).read(value));
}

TEST(OptOutLink, AValueWithoutSeriesOrAddressIsRefusedEvenIfSigned) {
  const OptOutLinks links("https://kutsu.example.org", kKey);
  EXPECT_FALSE(links.read(links.value("", "maija@example.fi")));
  EXPECT_FALSE(links.read(links.value("s", "")));
}

}  // namespace
}  // namespace kutsu::model
