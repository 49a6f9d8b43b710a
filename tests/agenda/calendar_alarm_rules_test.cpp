// `calendar_alarm` (agenda-format.md, series keys): an ISO 8601 duration
// before each session at which calendars remind; absent means no alarm.
#include <gtest/gtest.h>

#include "agenda/series_parser.h"
#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::valid_series;
using Lines = std::vector<std::string>;

std::string series_with(std::string_view alarm_line) {
  return std::string{R"(id = "s"
title = "Sarja"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
)"} + std::string{alarm_line} +
         R"(
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)";
}

TEST(CalendarAlarmRules, AbsentMeansNoAlarm) {
  EXPECT_FALSE(valid_series(series_with("")).calendar_alarm.has_value());
}

TEST(CalendarAlarmRules, IsADurationBeforeTheSession) {
  Series series = valid_series(series_with(R"(calendar_alarm = "PT15M")"));
  ASSERT_TRUE(series.calendar_alarm.has_value());
  EXPECT_EQ(series.calendar_alarm->canonical(), "PT15M");
  EXPECT_EQ(valid_series(series_with(R"(calendar_alarm = "P1DT30M")")).calendar_alarm->canonical(),
            "P1DT30M");
}

TEST(CalendarAlarmRules, MustBeAPositiveIsoDuration) {
  EXPECT_EQ(errors_in(series_with(R"(calendar_alarm = "PT0M")")),
            (Lines{"series.toml:5:18: error: 'calendar_alarm' must be a positive duration, "
                   "not 'PT0M'"}));
  EXPECT_EQ(errors_in(series_with(R"(calendar_alarm = "15 min")")),
            (Lines{"series.toml:5:18: error: invalid duration '15 min': an ISO 8601 duration "
                   "starts with 'P' (like \"P1D\" or \"PT1H\")"}));
  EXPECT_EQ(errors_in(series_with(R"(calendar_alarm = 15)")),
            (Lines{"series.toml:5:18: error: 'calendar_alarm' must be a string, not an integer"}));
}

}  // namespace
}  // namespace kutsu::agenda
