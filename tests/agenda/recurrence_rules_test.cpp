// Recurring sessions that are wrong: each problem at its line and column,
// in words an organiser understands (agenda-format.md, "Recurring
// sessions").
#include <gtest/gtest.h>

#include <fstream>

#include "agenda/series_parser.h"
#include "tests/agenda/series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::series_with;

std::vector<std::string> errors_until(std::string_view toml, date::local_days until) {
  SeriesOptions options{PlanUntil{until}};
  return testing::printed(parse_series(toml, "series.toml", std::nullopt, options));
}

const date::local_days kEndOf2026{date::year{2026} / 12 / 31};

std::vector<std::string> errors(std::string_view session_keys) {
  return errors_until(series_with("[[session]]\nid = \"k\"\n" + std::string(session_keys)),
                      kEndOf2026);
}

using Lines = std::vector<std::string>;

TEST(RecurrenceRules, AFrequencyFinerThanDailyIsRefusedAtItsColumn) {
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"BYDAY=TU;FREQ=HOURLY\"\n"),
            Lines{"series.toml:9:20: error: repeat rule: FREQ=HOURLY repeats more often than "
                  "daily; a session repeats DAILY, WEEKLY, MONTHLY or YEARLY"});
}

TEST(RecurrenceRules, ASyntaxErrorPointsAtTheBadPart) {
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;BYDAY=TI\"\n"),
            Lines{"series.toml:9:23: error: repeat rule: 'BYDAY=TI' is not a valid BYDAY value"});
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;BYHOUR=9\"\n"),
            Lines{"series.toml:9:23: error: repeat rule: BYHOUR is not supported: a session "
                  "repeats by days; give one session per time of day"});
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;COUNT=3;UNTIL=20260301\"\n"),
            Lines{"series.toml:9:31: error: repeat rule: a repeat rule takes COUNT or UNTIL, not "
                  "both"});
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;BYDAY=2TU\"\n"),
            Lines{"series.toml:9:23: error: repeat rule: BYDAY with a number (like 2TU or -1SU) "
                  "needs FREQ=MONTHLY or FREQ=YEARLY"});
}

// Found by fuzzing (fuzz_series_file, a timeout): a rule was expanded from
// a start in the year 1012, 53,000 steps of libical's iterator, only to add
// a count of occurrences to the start's own error.
TEST(RecurrenceRules, AStartOutsideTheSupportedYearsIsTheOnlyErrorAndNothingIsExpanded) {
  EXPECT_EQ(errors("start = 1012-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;BYDAY=TU\"\n"),
            Lines{"series.toml:7:9: error: 'start' 1012-01-13T08:30:00 is outside the years Kutsu "
                  "supports, 1970–2037 (time-zone rules are known only for those)"});
}

TEST(RecurrenceRules, AnExceptDateThatIsNoOccurrence) {
  EXPECT_EQ(errors("start = 2026-01-13T08:30:00\nduration = \"PT1H\"\n"
                   "repeat = \"FREQ=WEEKLY;BYDAY=TU;COUNT=10\"\n"
                   "except = [2026-01-20, 2026-01-21]\n"),
            Lines{"series.toml:10:23: error: 'except' date 2026-01-21 is not an occurrence of the "
                  "rule (FREQ=WEEKLY;BYDAY=TU;COUNT=10)"});
}

TEST(RecurrenceRules, AnOccurrenceDateThatIsNoOccurrence) {
  EXPECT_EQ(errors("start = 18:00:00\nend = 19:30:00\ndates = [2026-01-26]\n"
                   "on = \"sunday before\"\n"
                   "[[session.occurrence]]\ndate = 2026-01-26\ncancelled = true\n"),
            Lines{"series.toml:12:8: error: [[session.occurrence]] date 2026-01-26 is not an "
                  "occurrence of session 'k'"});
}

TEST(RecurrenceRules, AMissingOrEmptyDatesFile) {
  Lines missing = errors("start = 18:00:00\nend = 19:30:00\ndates = \"ei-ole.ics\"\n");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].rfind("series.toml:9:9: error: 'dates': ", 0), 0u) << missing[0];
  EXPECT_NE(missing[0].find("ei-ole.ics"), std::string::npos) << missing[0];
  {
    std::ofstream("tyhja.ics") << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                                  "END:VCALENDAR\r\n";
  }
  EXPECT_EQ(errors("start = 18:00:00\nend = 19:30:00\ndates = \"tyhja.ics\"\n"),
            Lines{"series.toml:9:9: error: 'dates' file tyhja.ics: it holds no event (VEVENT) "
                  "with a start date"});
  std::remove("tyhja.ics");
  EXPECT_EQ(errors("start = 18:00:00\nend = 19:30:00\ndates = []\n"),
            Lines{"series.toml:9:9: error: 'dates' is empty: the session would never take place"});
}

TEST(RecurrenceRules, MoreThanAThousandOccurrencesWithinTheHorizon) {
  EXPECT_EQ(errors_until(series_with("[[session]]\nid = \"k\"\nstart = 2026-01-01T08:00:00\n"
                                     "duration = \"PT1H\"\nrepeat = \"FREQ=DAILY\"\n"),
                         date::local_days{date::year{2029} / 1 / 1}),
            Lines{"series.toml:9:10: error: session 'k' has 1097 occurrences up to 2029-01-01; at "
                  "most 1000 are planned for one session"});
}

TEST(RecurrenceRules, StartWithDatesIsATimeOfDay) {
  EXPECT_EQ(errors("start = 2026-01-25T18:00:00\nend = 19:30:00\ndates = [2026-01-26]\n"),
            Lines{"series.toml:7:9: error: with 'dates', 'start' is a time of day (like "
                  "18:00:00), taken on each date"});
}

TEST(RecurrenceRules, KeysThatNeedARecurrence) {
  EXPECT_EQ(errors("start = 2026-01-25T18:00:00\nend = 2026-01-25T19:30:00\n"
                   "except = [2026-01-26]\non = \"sunday before\"\n"),
            (Lines{"series.toml:9:10: error: 'except' needs a 'repeat' rule",
                   "series.toml:10:6: error: 'on' needs a 'dates' list"}));
  EXPECT_EQ(errors("start = 18:00:00\nend = 19:30:00\ndates = [2026-01-26]\n"
                   "on = \"sunnuntaina ennen\"\n"),
            Lines{"series.toml:10:6: error: 'on' must be like \"sunday before\" or \"2 days "
                  "after\", not \"sunnuntaina ennen\""});
}

TEST(RecurrenceRules, AnOccurrenceChangedTwice) {
  EXPECT_EQ(errors("start = 18:00:00\nend = 19:30:00\ndates = [2026-01-25]\n"
                   "[[session.occurrence]]\ndate = 2026-01-25\ntitle = \"A\"\n"
                   "[[session.occurrence]]\ndate = 2026-01-25\ntitle = \"B\"\n"),
            Lines{"series.toml:14:8: error: occurrence 2026-01-25 is already changed on line 11"});
}

}  // namespace
}  // namespace kutsu::agenda
