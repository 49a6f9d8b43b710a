#include "config/exact_duration.h"

#include <gtest/gtest.h>

namespace kutsu::config {
namespace {

using namespace std::chrono_literals;

TEST(ExactDuration, ParsesTheFormsTheConfigUses) {
  EXPECT_EQ(parse_exact_duration("PT30S").value(), 30s);
  EXPECT_EQ(parse_exact_duration("PT2M").value(), 2min);
  EXPECT_EQ(parse_exact_duration("PT1H").value(), 1h);
  EXPECT_EQ(parse_exact_duration("PT1H30M").value(), 90min);
  EXPECT_EQ(parse_exact_duration("P1D").value(), 24h);
  EXPECT_EQ(parse_exact_duration("P1DT12H").value(), 36h);
  EXPECT_EQ(parse_exact_duration("P2W").value(), 14 * 24h);
  EXPECT_EQ(parse_exact_duration("PT0S").value(), 0s);
  EXPECT_EQ(parse_exact_duration("PT90S").value(), 90s);
}

TEST(ExactDuration, SaysWhatIsWrong) {
  auto message = [](std::string_view text) {
    Result<std::chrono::seconds> parsed = parse_exact_duration(text);
    EXPECT_FALSE(parsed.ok()) << text;
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  const std::string expected = " is not an exact duration such as PT30S, PT2M, PT1H or P1D (";
  EXPECT_EQ(message("30s"), "'30s'" + expected + "it must start with 'P')");
  EXPECT_EQ(message(""), "''" + expected + "it must start with 'P')");
  EXPECT_EQ(message("P"), "'P'" + expected + "it has no number)");
  EXPECT_EQ(message("PT"), "'PT'" + expected + "it has no number)");
  EXPECT_EQ(message("P1DT"), "'P1DT'" + expected + "nothing follows 'T')");
  EXPECT_EQ(message("PT30"), "'PT30'" + expected + "a number lacks its unit)");
  EXPECT_EQ(message("P1M"), "'P1M'" + expected + "years and months have no exact length)");
  EXPECT_EQ(message("P1Y"), "'P1Y'" + expected + "years and months have no exact length)");
  EXPECT_EQ(message("PT1H1H"), "'PT1H1H'" + expected + "unexpected 'H')");
  EXPECT_EQ(message("PT1M1H"), "'PT1M1H'" + expected + "unexpected 'H')");
  EXPECT_EQ(message("P1H"), "'P1H'" + expected + "unexpected 'H')");
  EXPECT_EQ(message("PT1D"), "'PT1D'" + expected + "unexpected 'D')");
  EXPECT_EQ(message("PT1.5S"), "'PT1.5S'" + expected + "unexpected '.')");
  EXPECT_EQ(message("PT-1S"), "'PT-1S'" + expected + "expected a number at '-1S')");
  EXPECT_EQ(message("PT99999999999S"), "'PT99999999999S'" + expected + "the number is too large)");
  EXPECT_EQ(message("P1DTT1H"), "'P1DTT1H'" + expected + "'T' appears twice)");
}

TEST(ExactDuration, FormatsCanonically) {
  EXPECT_EQ(format_exact_duration(0s), "PT0S");
  EXPECT_EQ(format_exact_duration(30s), "PT30S");
  EXPECT_EQ(format_exact_duration(90s), "PT1M30S");
  EXPECT_EQ(format_exact_duration(15min), "PT15M");
  EXPECT_EQ(format_exact_duration(1h), "PT1H");
  EXPECT_EQ(format_exact_duration(24h), "P1D");
  EXPECT_EQ(format_exact_duration(36h + 1s), "P1DT12H1S");
  for (std::string_view text : {"PT30S", "PT2M", "PT1H", "P1D", "P1DT12H", "PT1H1M1S"}) {
    EXPECT_EQ(format_exact_duration(parse_exact_duration(text).value()), text);
  }
}

}  // namespace
}  // namespace kutsu::config
