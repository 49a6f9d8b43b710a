// Dates and times exactly as each language writes them (interfaces.md).
#include "notifier/date_format.h"

#include <gtest/gtest.h>

#include <date/tz.h>

#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using agenda::Language;
using testing::local;

date::local_seconds at(int year, unsigned month, unsigned day, int hour, int minute) {
  return local(year, month, day, hour, minute).local;
}

TEST(RenderDateFormat, SpanInEachLanguage) {
  const auto start = at(2022, 2, 2, 18, 0);
  const auto end = at(2022, 2, 2, 19, 30);
  EXPECT_EQ(format_span(start, end, Language::fi), "ke 2.2.2022 klo 18.00\u201319.30");
  EXPECT_EQ(format_span(start, end, Language::sv), "ons 2.2.2022 kl. 18.00\u201319.30");
  EXPECT_EQ(format_span(start, end, Language::en), "Wed 2 Feb 2022, 18:00\u201319:30");
}

TEST(RenderDateFormat, SingleTimesHaveNoLeadingZeroInFinnishAndSwedish) {
  const auto doors = at(2022, 3, 26, 9, 45);
  EXPECT_EQ(format_time(doors, Language::fi), "klo 9.45");
  EXPECT_EQ(format_time(doors, Language::sv), "kl. 9.45");
  EXPECT_EQ(format_time(doors, Language::en), "09:45");
  EXPECT_EQ(format_clock(at(2022, 3, 26, 0, 5), Language::fi), "0.05");
}

TEST(RenderDateFormat, EveryWeekdayAbbreviation) {
  // 2022-03-21 is a Monday.
  const char* fi[] = {"ma", "ti", "ke", "to", "pe", "la", "su"};
  const char* sv[] = {"mån", "tis", "ons", "tors", "fre", "lör", "sön"};
  const char* en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (unsigned i = 0; i < 7; ++i) {
    const date::local_days day = date::local_days{date::year{2022} / 3 / 21} + date::days{i};
    const std::string d = std::to_string(21 + i);
    EXPECT_EQ(format_date(day, Language::fi), std::string{fi[i]} + " " + d + ".3.2022");
    EXPECT_EQ(format_date(day, Language::sv), std::string{sv[i]} + " " + d + ".3.2022");
    EXPECT_EQ(format_date(day, Language::en), std::string{en[i]} + " " + d + " Mar 2022");
  }
}

TEST(RenderDateFormat, EnglishMonthNames) {
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned m = 1; m <= 12; ++m) {
    const std::string text = format_date(date::local_days{date::year{2023} / m / 1}, Language::en);
    EXPECT_NE(text.find(std::string{" 1 "} + months[m - 1] + " 2023"), std::string::npos) << text;
  }
}

TEST(RenderDateFormat, TimetableRanges) {
  EXPECT_EQ(format_clock_range(at(2022, 3, 26, 10, 0), at(2022, 3, 26, 10, 20), Language::fi),
            "10.00\u201310.20");
  EXPECT_EQ(format_clock_range(at(2022, 3, 26, 9, 0), at(2022, 3, 26, 9, 20), Language::en),
            "09:00\u201309:20");
}

TEST(RenderDateFormat, SpanOverMidnightNamesBothDays) {
  const auto start = at(2022, 3, 26, 22, 0);
  const auto end = at(2022, 3, 27, 2, 0);
  EXPECT_EQ(format_span(start, end, Language::fi),
            "la 26.3.2022 klo 22.00 \u2013 su 27.3.2022 klo 2.00");
  EXPECT_EQ(format_span(start, end, Language::sv),
            "lör 26.3.2022 kl. 22.00 \u2013 sön 27.3.2022 kl. 2.00");
  EXPECT_EQ(format_span(start, end, Language::en),
            "Sat 26 Mar 2022, 22:00 \u2013 Sun 27 Mar 2022, 02:00");
}

TEST(RenderDateFormat, TimeWrittenWithOffsetIsShownInTheSeriesZone) {
  const date::time_zone& helsinki = *date::locate_zone("Europe/Helsinki");
  agenda::WrittenTime written = local(2022, 2, 2, 16, 0);
  written.utc_offset = std::chrono::seconds{0};  // 16:00Z is 18:00 in Helsinki (EET)
  EXPECT_EQ(wall_clock_of(written, helsinki), at(2022, 2, 2, 18, 0));
  agenda::WrittenTime summer = local(2022, 6, 1, 15, 0);
  summer.utc_offset = std::chrono::seconds{0};  // EEST, +03:00
  EXPECT_EQ(wall_clock_of(summer, helsinki), at(2022, 6, 1, 18, 0));
  // A local reading is already the series wall clock.
  EXPECT_EQ(wall_clock_of(local(2022, 2, 2, 18, 0), helsinki), at(2022, 2, 2, 18, 0));
}

}  // namespace
}  // namespace kutsu::notifier
