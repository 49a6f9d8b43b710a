// The zone names and the span of time a series may use (agenda/time_range.h):
// fixed-offset and linked zone names are accepted, the host's "localtime" is
// not; written times must be in 1970–2037 and `before` at most a year.
#include <gtest/gtest.h>

#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::series_with;
using testing::valid_series;
using Lines = std::vector<std::string>;

std::string series_in_zone(std::string_view zone) {
  return "id = \"s\"\ntitle = \"T\"\ntimezone = \"" + std::string(zone) +
         "\"\norganiser = { email = \"o@example.org\" }\n"
         "[[session]]\nid = \"a\"\nstart = 2022-02-02T18:00:00\nend = 2022-02-02T19:00:00\n";
}

TEST(ZoneNameRules, FixedOffsetAndLinkedNamesAreAccepted) {
  for (const char* zone : {"UTC", "GMT", "Etc/GMT-2", "Etc/UTC", "US/Eastern", "Asia/Calcutta"}) {
    Series series = valid_series(series_in_zone(zone));
    EXPECT_EQ(series.timezone, zone);
    ASSERT_NE(series.zone, nullptr) << zone;
  }
}

TEST(ZoneNameRules, LocaltimeIsTheServersZoneAndRefused) {
  EXPECT_EQ(errors_in(series_in_zone("localtime")),
            Lines{"series.toml:3:12: error: time zone 'localtime' is the server's own setting, "
                  "not a zone of the series; write its IANA name, like Europe/Helsinki"});
}

TEST(YearRangeRules, SessionInYear3001IsAnErrorAtItsStart) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 3001-02-02T18:00:00
end = 3001-02-02T19:30:00
doors_open = 17:45:00
  [[session.agenda]]
  start = 18:00:00
  end = 18:30:00
  title = "Avaus"
)")),
            (Lines{"series.toml:7:9: error: 'start' 3001-02-02T18:00:00 is outside the years "
                   "Kutsu supports, 1970–2037 (time-zone rules are known only for those)",
                   "series.toml:8:7: error: 'end' 3001-02-02T19:30:00 is outside the years "
                   "Kutsu supports, 1970–2037 (time-zone rules are known only for those)"}));
}

TEST(YearRangeRules, FirstAndLastSupportedDaysAreAccepted) {
  Series series = valid_series(series_with(R"([invitation]
send_at = 1970-01-01T00:00:00
[[session]]
id = "a"
start = 2037-12-31T22:00:00
end = 2037-12-31T23:59:59
)"));
  EXPECT_EQ(date::format("%F", series.sessions.at(0).start.local), "2037-12-31");
}

TEST(YearRangeRules, EveryWrittenTimeIsChecked) {
  EXPECT_EQ(errors_in(series_with(R"([invitation]
send_at = 1969-12-31T09:00:00
[[session]]
id = "a"
start = 2037-12-31T18:00:00+02:00
end = 2038-01-01T01:00:00+02:00
doors_open = 1969-12-31T17:45:00
  [[session.agenda]]
  start = 2038-01-01T00:00:00
  title = "Keskiyö"
)")),
            (Lines{"series.toml:6:11: error: 'send_at' 1969-12-31T09:00:00 is outside the years "
                   "Kutsu supports, 1970–2037 (time-zone rules are known only for those)",
                   "series.toml:10:7: error: 'end' 2038-01-01T01:00:00+02:00 is outside the years "
                   "Kutsu supports, 1970–2037 (time-zone rules are known only for those)",
                   "series.toml:11:14: error: 'doors_open' 1969-12-31T17:45:00 is outside the "
                   "years Kutsu supports, 1970–2037 (time-zone rules are known only for those)",
                   "series.toml:13:11: error: 'start' 2038-01-01T00:00:00 is outside the years "
                   "Kutsu supports, 1970–2037 (time-zone rules are known only for those)"}));
}

TEST(YearRangeRules, DurationThatEndsTheSessionPastTheRangeIsAnError) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2037-12-31T18:00:00
duration = "P99999W"
)")),
            Lines{"series.toml:8:12: error: 'duration' makes the session end "
                  "3954-07-08T18:00:00, outside the years Kutsu supports, 1970–2037 (time-zone "
                  "rules are known only for those)"});
}

constexpr std::string_view kSession = R"(
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)";

TEST(BeforeRangeRules, ReminderBeforeP99999WIsAnError) {
  EXPECT_EQ(errors_in(series_with("[[reminder]]\nbefore = \"P99999W\"\n" + std::string(kSession))),
            Lines{"series.toml:6:10: error: 'before' P699993D is longer than 366 days: a "
                  "reminder can be sent at most a year before its session (P52W is 364 days)"});
}

TEST(BeforeRangeRules, ExactHoursCountTowardsTheYear) {
  EXPECT_EQ(errors_in(series_with("[[reminder]]\nbefore = \"P366DT1S\"\n[[reminder]]\nbefore = "
                                  "\"PT8785H\"\n" +
                                  std::string(kSession))),
            (Lines{"series.toml:6:10: error: 'before' P366DT1S is longer than 366 days: a "
                   "reminder can be sent at most a year before its session (P52W is 364 days)",
                   "series.toml:8:10: error: 'before' PT8785H is longer than 366 days: a "
                   "reminder can be sent at most a year before its session (P52W is 364 days)"}));
}

TEST(BeforeRangeRules, AYearIsAllowed) {
  Series series = valid_series(series_with(
      "[invitation]\nbefore = \"P52W\"\n[[reminder]]\nbefore = \"P366D\"\n[[reminder]]\n"
      "before = \"PT8784H\"\n" +
      std::string(kSession)));
  EXPECT_EQ(series.reminders.size(), 2u);
  EXPECT_EQ(series.invitation->before, Duration(364, std::chrono::seconds(0)));
}

TEST(BeforeRangeRules, InvitationBeforeIsBoundedToo) {
  EXPECT_EQ(errors_in(series_with("[invitation]\nbefore = \"P400D\"\n" + std::string(kSession))),
            Lines{"series.toml:6:10: error: 'before' P400D is longer than 366 days: the "
                  "invitation can be sent at most a year before the first session (P52W is 364 "
                  "days)"});
}

TEST(BeforeRangeRules, SessionReminderListIsBoundedToo) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
  [[session.reminder]]
  before = "P60W"
)")),
            Lines{"series.toml:10:12: error: 'before' P420D is longer than 366 days: a reminder "
                  "can be sent at most a year before its session (P52W is 364 days)"});
}

}  // namespace
}  // namespace kutsu::agenda
