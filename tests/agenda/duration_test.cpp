#include "agenda/duration.h"

#include <gtest/gtest.h>

namespace kutsu::agenda {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Duration parsed(std::string_view text) {
  Result<Duration> duration = Duration::parse(text);
  EXPECT_TRUE(duration.ok()) << text << ": " << (duration ? "" : duration.error().message);
  return duration ? *duration : Duration{};
}

std::string error_of(std::string_view text) {
  Result<Duration> duration = Duration::parse(text);
  EXPECT_FALSE(duration.ok()) << text;
  return duration ? "" : duration.error().message;
}

TEST(Duration, CalendarAndExactPartsStayApart) {
  EXPECT_EQ(parsed("P7D"), Duration(7, seconds(0)));
  EXPECT_EQ(parsed("P2W"), Duration(14, seconds(0)));
  EXPECT_EQ(parsed("PT1H30M"), Duration(0, minutes(90)));
  EXPECT_EQ(parsed("PT90S"), Duration(0, seconds(90)));
  EXPECT_EQ(parsed("P1DT2H"), Duration(1, hours(2)));
  EXPECT_EQ(parsed("P1W2DT1H2M3S"), Duration(9, seconds(3723)));
  EXPECT_EQ(parsed("PT48H"), Duration(0, hours(48)));
}

TEST(Duration, CanonicalTextMakesEqualDurationsEqual) {
  EXPECT_EQ(parsed("P1W").canonical(), "P7D");
  EXPECT_EQ(parsed("P7D").canonical(), "P7D");
  EXPECT_EQ(parsed("PT90M").canonical(), "PT1H30M");
  EXPECT_EQ(parsed("P1DT2H").canonical(), "P1DT2H");
  EXPECT_EQ(parsed("PT3600S").canonical(), "PT1H");
  EXPECT_EQ(parsed("PT3661S").canonical(), "PT1H1M1S");
  // Exact hours never become calendar days: 24 elapsed hours differ from a
  // calendar day across a DST change.
  EXPECT_EQ(parsed("PT24H").canonical(), "PT24H");
  EXPECT_EQ(parsed("P0D").canonical(), "PT0S");
  EXPECT_EQ(Duration().canonical(), "PT0S");
}

TEST(Duration, Positivity) {
  EXPECT_TRUE(parsed("PT1S").is_positive());
  EXPECT_TRUE(parsed("P1D").is_positive());
  EXPECT_FALSE(parsed("P0D").is_positive());
  EXPECT_FALSE(parsed("PT0H0M").is_positive());
}

TEST(Duration, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(error_of(""),
            "invalid duration '': an ISO 8601 duration starts with 'P' (like "
            "\"P1D\" or \"PT1H\")");
  EXPECT_EQ(error_of("7D"),
            "invalid duration '7D': an ISO 8601 duration starts with 'P' (like "
            "\"P1D\" or \"PT1H\")");
  EXPECT_EQ(error_of("P"), "invalid duration 'P': expected a number after 'P'");
  EXPECT_EQ(error_of("PT"), "invalid duration 'PT': expected a number after 'T'");
  EXPECT_EQ(error_of("P1DT"), "invalid duration 'P1DT': expected a number after 'T'");
  EXPECT_EQ(error_of("P1"), "invalid duration 'P1': missing unit after the number");
  EXPECT_EQ(error_of("P1M"),
            "invalid duration 'P1M': years and months are not supported (their "
            "length varies); use days or weeks");
  EXPECT_EQ(error_of("P1Y"),
            "invalid duration 'P1Y': years and months are not supported (their "
            "length varies); use days or weeks");
  EXPECT_EQ(error_of("PT1.5H"), "invalid duration 'PT1.5H': fractions are not supported");
  EXPECT_EQ(error_of("P1D1W"),
            "invalid duration 'P1D1W': unexpected 'W' (the date part takes W "
            "and D, in that order)");
  EXPECT_EQ(error_of("PT1M1H"),
            "invalid duration 'PT1M1H': unexpected 'H' (the time part takes "
            "H, M and S, in that order)");
  EXPECT_EQ(error_of("PT1H1H"),
            "invalid duration 'PT1H1H': unexpected 'H' (the time part takes "
            "H, M and S, in that order)");
  EXPECT_EQ(error_of("P1H"),
            "invalid duration 'P1H': unexpected 'H' (the date part takes W and "
            "D, in that order)");
  EXPECT_EQ(error_of("p1d"),
            "invalid duration 'p1d': an ISO 8601 duration starts with 'P' (like "
            "\"P1D\" or \"PT1H\")");
  EXPECT_EQ(error_of("P9999999D"), "invalid duration 'P9999999D': number 9999999 is too large");
  EXPECT_EQ(error_of("P1D "), "invalid duration 'P1D ': expected a number after 'D'");
}

}  // namespace
}  // namespace kutsu::agenda
