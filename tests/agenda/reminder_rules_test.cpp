// [[reminder]] and [invitation] rules.
#include <gtest/gtest.h>

#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::series_with;
using testing::valid_series;
using Lines = std::vector<std::string>;

// Appended after the reminders or invitation under test.
constexpr std::string_view kSession = R"(
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)";

std::string series_ending(std::string_view middle) {
  return series_with(std::string(middle) + std::string(kSession));
}

TEST(ReminderRules, RemindersAreReadWithAtAndChannels) {
  Series series = valid_series(series_ending(R"([[reminder]]
before = "P7D"
[[reminder]]
before = "P1D"
at = 09:00:00
[[reminder]]
before = "PT1H"
channels = ["webhook", "email"]
)"));
  ASSERT_EQ(series.reminders.size(), 3u);
  EXPECT_EQ(series.reminders[0].before, Duration(7, std::chrono::seconds(0)));
  EXPECT_FALSE(series.reminders[0].at.has_value());
  EXPECT_TRUE(series.reminders[0].channels.empty());
  EXPECT_EQ(series.reminders[0].pos.line, 5);
  EXPECT_EQ(series.reminders[1].at, std::chrono::hours(9));
  EXPECT_EQ(series.reminders[2].before, Duration(0, std::chrono::hours(1)));
  EXPECT_EQ(series.reminders[2].channels, (std::vector<Channel>{Channel::webhook, Channel::email}));
}

TEST(ReminderRules, BeforeMustBeAPositiveDuration) {
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
before = "P0D"
[[reminder]]
before = "1 day"
[[reminder]]
before = "-P1D"
[[reminder]]
at = 09:00:00
)")),
            (Lines{"series.toml:6:10: error: 'before' must be a positive duration, not 'P0D'",
                   "series.toml:8:10: error: invalid duration '1 day': an ISO 8601 duration starts "
                   "with 'P' (like \"P1D\" or \"PT1H\")",
                   "series.toml:10:10: error: invalid duration '-P1D': an ISO 8601 duration starts "
                   "with 'P' (like \"P1D\" or \"PT1H\")",
                   "series.toml:11:1: error: missing required key 'before'"}));
}

TEST(ReminderRules, AtMustBeATomlLocalTime) {
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
before = "P1D"
at = "09:00"
[[reminder]]
before = "P2D"
at = 2022-02-01T09:00:00
)")),
            (Lines{"series.toml:7:6: error: 'at' must be a local time of day (like 09:00:00), not "
                   "a string",
                   "series.toml:10:6: error: 'at' must be a local time of day (like 09:00:00), not "
                   "a date-time"}));
}

TEST(ReminderRules, ChannelsMustBeKnownAndNotEmpty) {
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
before = "P1D"
channels = ["email", "sms"]
[[reminder]]
before = "P2D"
channels = []
[[reminder]]
before = "P3D"
channels = ["email", "email"]
)")),
            (Lines{"series.toml:7:22: error: unknown channel 'sms' (expected email or webhook)",
                   "series.toml:10:12: error: 'channels' must name at least one channel (leave it "
                   "out to mean all)",
                   "series.toml:13:22: error: channel 'email' is listed twice"}));
}

TEST(ReminderRules, TheSameReminderTwiceIsAnError) {
  // P1W and P7D are the same reminder; on separate channels they are not.
  EXPECT_EQ(
      errors_in(series_ending(R"([[reminder]]
before = "P7D"
channels = ["email"]
[[reminder]]
before = "P1W"
channels = ["webhook"]
[[reminder]]
before = "P1W"
)")),
      Lines{"series.toml:11:1: error: a reminder with before = \"P7D\" on the same channel is "
            "already defined on line 5"});
}

TEST(ReminderRules, TheSameDayBeforeAtTwoTimesIsTwoReminders) {
  // A morning and an evening note the day before, and one at the session's
  // own time of day: three reminders. The same `at` twice is one too many.
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
before = "P1D"
at = 09:00:00
[[reminder]]
before = "P1D"
at = 17:00:00
[[reminder]]
before = "P1D"
)")),
            Lines{});
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
before = "P1D"
at = 09:00:00
[[reminder]]
before = "PT24H"
[[reminder]]
before = "P1D"
at = 09:00:00
)")),
            Lines{"series.toml:10:1: error: a reminder with before = \"P1D\" and at = 09:00:00 on the same "
                  "channel is already defined on line 5"});
}

TEST(ReminderRules, UnknownKeyInAReminder) {
  EXPECT_EQ(errors_in(series_ending(R"([[reminder]]
befor = "P1D"
)")),
            (Lines{"series.toml:5:1: error: missing required key 'before'",
                   "series.toml:6:1: error: unknown key 'befor' (did you mean 'before'?)"}));
}

TEST(InvitationRules, SendAtOrBefore) {
  Series at = valid_series(series_ending(R"([invitation]
send_at = 2022-01-19T09:00:00
)"));
  ASSERT_TRUE(at.invitation && at.invitation->send_at);
  EXPECT_EQ(date::format("%FT%T", at.invitation->send_at->local), "2022-01-19T09:00:00");
  EXPECT_FALSE(at.invitation->before.has_value());
  EXPECT_EQ(at.invitation->pos.line, 5);

  Series before = valid_series(series_ending(R"([invitation]
before = "P2W"
)"));
  ASSERT_TRUE(before.invitation && before.invitation->before);
  EXPECT_EQ(before.invitation->before->canonical(), "P14D");
}

TEST(InvitationRules, ExactlyOneOfSendAtAndBefore) {
  EXPECT_EQ(errors_in(series_ending(R"([invitation]
send_at = 2022-01-19T09:00:00
before = "P14D"
)")),
            Lines{"series.toml:7:10: error: [invitation] takes either 'send_at' or 'before', not "
                  "both"});
  EXPECT_EQ(errors_in(series_ending(R"([invitation]
)")),
            Lines{"series.toml:5:1: error: [invitation] needs 'send_at' (a date-time) or 'before' "
                  "(a duration)"});
}

TEST(InvitationRules, SendAtMustBeBeforeTheFirstSession) {
  // The first session in time is the second one in the file.
  EXPECT_EQ(errors_in(series_with(R"([invitation]
send_at = 2022-02-02T09:00:00

[[session]]
id = "b"
start = 2022-02-16T18:00:00
end = 2022-02-16T19:30:00

[[session]]
id = "a"
start = 2022-02-01T18:00:00
end = 2022-02-01T19:30:00
)")),
            Lines{"series.toml:6:11: error: invitation send_at 2022-02-02T09:00:00 is not before "
                  "the first session's start 2022-02-01T18:00:00 (line 15)"});
}

TEST(InvitationRules, SendAtWithOffsetIsComparedOnlyWithOffsetStarts) {
  // Local session, offset send_at: the scheduler compares them, not the parser.
  // 19:00+02:00 is 17:00Z, after the 16:30Z start.
  valid_series(series_ending(R"([invitation]
send_at = 2022-03-01T09:00:00+02:00
)"));
  EXPECT_EQ(errors_in(series_with(R"([invitation]
send_at = 2022-02-02T19:00:00+02:00
[[session]]
id = "a"
start = 2022-02-02T16:30:00Z
end = 2022-02-02T17:30:00Z
)")),
            Lines{"series.toml:6:11: error: invitation send_at 2022-02-02T19:00:00+02:00 is not "
                  "before the first session's start 2022-02-02T16:30:00+00:00 (line 9)"});
}

TEST(InvitationRules, InvitationMustBeATable) {
  EXPECT_EQ(errors_in(series_ending(R"(invitation = "2022-01-19"
)")),
            Lines{"series.toml:5:14: error: 'invitation' must be a table, not a string"});
}

}  // namespace
}  // namespace kutsu::agenda
