#include "model/time_format.h"

#include <gtest/gtest.h>

#include "tests/model/sample_series.h"

namespace kutsu::model {
namespace {

using namespace std::chrono_literals;
using testing::utc;

TEST(TimeFormat, UtcAndZoneForms) {
  EXPECT_EQ(format_utc(utc(2022, 2, 1, 7, 0)), "2022-02-01T07:00:00Z");
  const date::time_zone& helsinki = *date::locate_zone("Europe/Helsinki");
  EXPECT_EQ(format_in_zone(utc(2022, 2, 1, 7, 0), helsinki), "2022-02-01T09:00:00+02:00");
  EXPECT_EQ(format_in_zone(utc(2022, 7, 1, 7, 0), helsinki), "2022-07-01T10:00:00+03:00");
  EXPECT_EQ(format_in_zone(utc(2022, 7, 1, 7, 0), *date::locate_zone("America/St_Johns")),
            "2022-07-01T04:30:00-02:30");
  EXPECT_EQ(format_utc(utc(1969, 12, 31, 23, 59)), "1969-12-31T23:59:00Z");
}

TEST(TimeFormat, ClockAndOffset) {
  EXPECT_EQ(format_clock(9h), "09:00");
  EXPECT_EQ(format_clock(9h + 5min + 7s), "09:05:07");
  EXPECT_EQ(format_offset(5h + 30min), "+05:30");
  EXPECT_EQ(format_offset(-(3h + 30min)), "-03:30");
  EXPECT_EQ(format_offset(0s), "+00:00");
  EXPECT_EQ(format_offset(1h + 39min + 49s), "+01:39:49");  // Helsinki before 1921
}

TEST(ParseRfc3339, UtcAndOffsets) {
  auto parsed = parse_rfc3339("2022-02-01T12:00:00Z");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, utc(2022, 2, 1, 12, 0));
  parsed = parse_rfc3339("2022-02-01T14:00:00+02:00");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, utc(2022, 2, 1, 12, 0));
  parsed = parse_rfc3339("2022-02-01 08:30:00-03:30");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, utc(2022, 2, 1, 12, 0));
}

TEST(ParseRfc3339, RejectsWhatIsNotAnInstant) {
  for (std::string_view text :
       {"2022-02-01T12:00:00", "2022-02-01", "2022-02-01T12:00Z", "2022-02-01T12:00:00.5Z",
        "2022-02-01T12:00:00+0200", "2022-02-01T12:00:00Z ", "tomorrow", ""}) {
    auto parsed = parse_rfc3339(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().message,
              "'" + std::string(text) +
                  "' is not an RFC 3339 date-time like 2022-02-01T12:00:00Z or "
                  "2022-02-01T14:00:00+02:00");
  }
  auto parsed = parse_rfc3339("2022-02-30T12:00:00Z");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "'2022-02-30T12:00:00Z' is not a valid date and time");
  EXPECT_FALSE(parse_rfc3339("2022-02-01T24:00:00Z").ok());
}

}  // namespace
}  // namespace kutsu::model
