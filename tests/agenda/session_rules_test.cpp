// [[session]] rules: id, start/end/duration, doors_open, offsets, reminders
// override, cancelled.
#include <gtest/gtest.h>

#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::valid_series;
using Lines = std::vector<std::string>;

using testing::series_with;

TEST(SessionRules, SessionIdMustMatchThePattern) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "Verkosto"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)")),
            Lines{"series.toml:6:6: error: id 'Verkosto' must be 1 to 64 characters of a-z, 0-9 "
                  "and '-', not starting with '-'"});
}

TEST(SessionRules, DuplicateSessionIdNamesTheFirstLine) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "verkosto"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00

[[session]]
id = "verkosto"
start = 2022-02-16T18:00:00
end = 2022-02-16T19:30:00
)")),
            Lines{"series.toml:11:6: error: duplicate session id 'verkosto' (first defined on "
                  "line 6)"});
}

TEST(SessionRules, EndMustBeAfterStart) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T18:00:00
)")),
            Lines{"series.toml:8:7: error: session end 2022-02-02T18:00:00 is not after its start "
                  "2022-02-02T18:00:00"});
}

TEST(SessionRules, EndOrDurationExactlyOne) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
duration = "PT1H30M"

[[session]]
id = "b"
start = 2022-02-16T18:00:00
)")),
            (Lines{"series.toml:9:12: error: a session takes either 'end' or 'duration', not both",
                   "series.toml:11:1: error: missing required key 'end' (or 'duration')"}));
}

TEST(SessionRules, DurationGivesTheEndAsElapsedTime) {
  Series series = valid_series(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
duration = "PT1H30M"
)"));
  const Session& session = series.sessions.at(0);
  EXPECT_EQ(date::format("%FT%T", session.end.local), "2022-02-02T19:30:00");
  EXPECT_EQ(session.end.pos.line, 8);
  EXPECT_EQ(session.end.pos.column, 12);
}

TEST(SessionRules, DurationMustBePositive) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
duration = "PT0M"
)")),
            Lines{"series.toml:8:12: error: 'duration' must be a positive duration, not 'PT0M'"});
}

TEST(SessionRules, DoorsOpenMustBeBeforeStart) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-03-26T10:00:00
end = 2022-03-26T15:00:00
doors_open = 2022-03-26T10:15:00
)")),
            Lines{"series.toml:9:14: error: doors_open 2022-03-26T10:15:00 must be before the "
                  "session starts (2022-03-26T10:00:00)"});
}

TEST(SessionRules, DoorsOpenAsATimeOfDayTakesTheSessionsDate) {
  Series series = valid_series(series_with(R"([[session]]
id = "a"
start = 2022-03-26T10:00:00
end = 2022-03-26T15:00:00
doors_open = 09:45:00
)"));
  EXPECT_EQ(date::format("%FT%T", series.sessions.at(0).doors_open->local), "2022-03-26T09:45:00");
}

TEST(SessionRules, DateOnlyIsNotADateTime) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02
end = 2022-02-02T19:30:00
)")),
            Lines{"series.toml:7:9: error: 'start' must be a date-time (like 2022-02-02T18:00:00), "
                  "not a date"});
}

TEST(SessionRules, OffsetDateTimesKeepTheirOffset) {
  Series series = valid_series(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00+02:00
end = 2022-02-02T17:30:00Z
)"));
  const Session& session = series.sessions.at(0);
  EXPECT_EQ(date::format("%FT%T", session.start.local), "2022-02-02T18:00:00");
  EXPECT_EQ(session.start.utc_offset, std::chrono::hours(2));
  EXPECT_EQ(date::format("%FT%TZ", session.start.instant_from_offset()), "2022-02-02T16:00:00Z");
  EXPECT_EQ(session.end.utc_offset, std::chrono::seconds(0));
}

TEST(SessionRules, OffsetTimesAreComparedAsInstants) {
  // 17:30+02:00 is 15:30Z, before 16:00Z.
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00+02:00
end = 2022-02-02T17:30:00+02:00
)")),
            Lines{"series.toml:8:7: error: session end 2022-02-02T17:30:00+02:00 is not after its "
                  "start 2022-02-02T18:00:00+02:00"});
}

TEST(SessionRules, LocalAndOffsetTimesAreLeftToTheScheduler) {
  // Ordering these needs the zone rules; the agenda layer does not convert.
  valid_series(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T17:30:00+02:00
)"));
}

TEST(SessionRules, OptionalFieldsAreKept) {
  Series series = valid_series(series_with(R"([[session]]
id = "a"
title = "Pelastustoimi"
start = 2022-03-16T18:00:00
end = 2022-03-16T19:30:00
speakers = ["Anne Huotari", "Marianne Riekki"]
description = """
Pelastustoimi uudistuu."""
join_url = "https://example.org/zoom/a?pwd=1"
location = "Zoom"
cancelled = true
)"));
  const Session& session = series.sessions.at(0);
  EXPECT_EQ(session.title, "Pelastustoimi");
  EXPECT_EQ(session.speakers, (std::vector<std::string>{"Anne Huotari", "Marianne Riekki"}));
  EXPECT_EQ(session.description, "Pelastustoimi uudistuu.");
  EXPECT_EQ(session.join_url, "https://example.org/zoom/a?pwd=1");
  EXPECT_EQ(session.location, "Zoom");
  EXPECT_TRUE(session.cancelled);
}

TEST(SessionRules, RemindersNoneOrOwnList) {
  Series series = valid_series(series_with(R"([[reminder]]
before = "P1D"

[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
reminders = "none"

[[session]]
id = "b"
start = 2022-02-16T18:00:00
end = 2022-02-16T19:30:00
  [[session.reminder]]
  before = "PT15M"

[[session]]
id = "c"
start = 2022-02-23T18:00:00
end = 2022-02-23T19:30:00
)"));
  ASSERT_EQ(series.sessions.size(), 3u);
  ASSERT_TRUE(series.sessions[0].reminders.has_value());
  EXPECT_TRUE(series.reminders_for(series.sessions[0]).empty());
  ASSERT_EQ(series.reminders_for(series.sessions[1]).size(), 1u);
  EXPECT_EQ(series.reminders_for(series.sessions[1])[0].before.canonical(), "PT15M");
  EXPECT_EQ(series.reminders_for(series.sessions[1])[0].pos.line, 18);
  EXPECT_FALSE(series.sessions[2].reminders.has_value());
  EXPECT_EQ(series.reminders_for(series.sessions[2])[0].before.canonical(), "P1D");
}

TEST(SessionRules, RemindersAcceptsOnlyNoneAndNotWithAList) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
reminders = "ei"

[[session]]
id = "b"
start = 2022-02-16T18:00:00
end = 2022-02-16T19:30:00
reminders = "none"
  [[session.reminder]]
  before = "PT15M"
)")),
            (Lines{"series.toml:9:13: error: 'reminders' can only be \"none\"; to replace the "
                   "series reminders, give [[session.reminder]] tables",
                   "series.toml:15:13: error: reminders = \"none\" and [[session.reminder]] "
                   "contradict each other"}));
}

TEST(SessionRules, CancelledMustBeABoolean) {
  EXPECT_EQ(errors_in(series_with(R"([[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
cancelled = "yes"
)")),
            Lines{"series.toml:9:13: error: 'cancelled' must be a boolean (true or false), not a "
                  "string"});
}

}  // namespace
}  // namespace kutsu::agenda
