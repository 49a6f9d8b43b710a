#include "scheduler/planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "model/time_format.h"
#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;
using agenda::Channel;
using model::testing::days;
using model::testing::hours;
using model::testing::local;
using model::testing::utc;

// The shape of the example series: two councillors in the audience, one
// staff member who is not, one webhook endpoint, three series reminders, a
// cancelled session, a session with its own reminder and one without any.
agenda::Series council_series() {
  agenda::Series series = model::testing::empty_series();
  series.participants = {model::testing::participant("matti@example.org", {"aluevaltuutettu"}),
                         model::testing::participant("Liisa@Example.org", {"varavaltuutettu", "x"}),
                         model::testing::participant("toimisto@example.org", {"henkilosto"})};
  series.audience = std::vector<std::string>{"aluevaltuutettu", "varavaltuutettu"};
  series.webhooks = {agenda::NameRef{"tiimi", {6, 12}}};
  series.invitation = agenda::Invitation{local(2022, 1, 19, 9, 0, {9, 11}), std::nullopt, {8, 1}};

  series.reminders.push_back(model::testing::reminder(days(7), {12, 1}));
  agenda::Reminder day_before = model::testing::reminder(days(1), {14, 1});
  day_before.at = 9h;
  day_before.channels = {Channel::email};
  series.reminders.push_back(day_before);
  agenda::Reminder hour_before = model::testing::reminder(hours(1), {17, 1});
  hour_before.channels = {Channel::webhook};
  series.reminders.push_back(hour_before);

  series.sessions.push_back(model::testing::session("verkosto", local(2022, 2, 2, 18, 0, {21, 9})));
  agenda::Session cancelled = model::testing::session("pelastustoimi", local(2022, 3, 16, 18, 0));
  cancelled.cancelled = true;
  series.sessions.push_back(cancelled);
  agenda::Session seminar = model::testing::session("seminaari", local(2022, 3, 26, 10, 0));
  seminar.reminders = std::vector<agenda::Reminder>{model::testing::reminder(hours(2), {40, 3})};
  series.sessions.push_back(seminar);
  agenda::Session quiet = model::testing::session("hiljainen", local(2022, 4, 6, 18, 0));
  quiet.reminders = std::vector<agenda::Reminder>{};
  series.sessions.push_back(quiet);
  return series;
}

// One line per notification, readable in a failure message.
std::string describe(const model::Notification& n) {
  std::string line = model::format_utc(n.due) + " " + std::string(to_string(n.kind));
  line += " " + std::string(n.session ? n.session->id : "-");
  if (n.reminder) line += " " + n.reminder->before.canonical();
  line += " " + std::string(agenda::to_string(n.channel)) + " " + std::string(n.recipient);
  return line;
}

std::vector<std::string> describe_all(const Plan& plan) {
  std::vector<std::string> lines;
  for (const model::Notification& n : plan.notifications) lines.push_back(describe(n));
  std::sort(lines.begin(), lines.end());  // ids order equal dues; sort to compare as a set
  return lines;
}

std::vector<std::string> messages(const Plan& plan) {
  std::vector<std::string> out;
  for (const Diagnostic& d : plan.diagnostics) out.push_back(d.to_string());
  return out;
}

TEST(Planner, PlansInvitationRemindersAndCancellationsForTheAudience) {
  agenda::Series series = council_series();
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan), std::vector<std::string>{});
  EXPECT_EQ(describe_all(plan),
            (std::vector<std::string>{
                "2022-01-19T07:00:00Z invitation - email Liisa@Example.org",
                "2022-01-19T07:00:00Z invitation - email matti@example.org",
                "2022-01-19T07:00:00Z invitation - webhook tiimi",
                "2022-01-19T07:00:01Z cancellation pelastustoimi email Liisa@Example.org",
                "2022-01-19T07:00:01Z cancellation pelastustoimi email matti@example.org",
                "2022-01-19T07:00:01Z cancellation pelastustoimi webhook tiimi",
                "2022-01-26T16:00:00Z reminder verkosto P7D email Liisa@Example.org",
                "2022-01-26T16:00:00Z reminder verkosto P7D email matti@example.org",
                "2022-01-26T16:00:00Z reminder verkosto P7D webhook tiimi",
                "2022-02-01T07:00:00Z reminder verkosto P1D email Liisa@Example.org",
                "2022-02-01T07:00:00Z reminder verkosto P1D email matti@example.org",
                "2022-02-02T15:00:00Z reminder verkosto PT1H webhook tiimi",
                // 26.3. 10:00 is still winter time (+02:00): PT2H is 06:00Z.
                "2022-03-26T06:00:00Z reminder seminaari PT2H email Liisa@Example.org",
                "2022-03-26T06:00:00Z reminder seminaari PT2H email matti@example.org",
                "2022-03-26T06:00:00Z reminder seminaari PT2H webhook tiimi",
            }));
}

TEST(Planner, NotificationsPointIntoTheSeries) {
  agenda::Series series = council_series();
  Plan plan = plan_series(series);
  for (const model::Notification& n : plan.notifications) {
    EXPECT_EQ(n.series, &series);
    EXPECT_EQ(n.reminder != nullptr, n.kind == model::NotificationKind::reminder) << describe(n);
    EXPECT_EQ(n.session == nullptr, n.kind == model::NotificationKind::invitation) << describe(n);
    if (n.channel == Channel::email) {
      ASSERT_NE(n.participant, nullptr);
      EXPECT_EQ(n.recipient.data(), n.participant->email.data());
    } else {
      EXPECT_EQ(n.participant, nullptr);
      EXPECT_EQ(n.recipient.data(), series.webhooks[0].name.data());
    }
    if (n.session) {
      EXPECT_EQ(n.session_start, plan.times_of(*n.session).start);
    } else {
      EXPECT_EQ(n.session_start, date::sys_seconds{});
    }
  }
}

TEST(Planner, SortedByDueThenId) {
  agenda::Series series = council_series();
  Plan plan = plan_series(series);
  ASSERT_EQ(plan.notifications.size(), 15u);
  for (std::size_t i = 1; i < plan.notifications.size(); ++i) {
    const model::Notification& a = plan.notifications[i - 1];
    const model::Notification& b = plan.notifications[i];
    EXPECT_TRUE(std::tie(a.due, a.id) < std::tie(b.due, b.id))
        << describe(a) << " / " << describe(b);
  }
}

TEST(Planner, SameSeriesSameIdsAndAMovedSessionGetsNewReminderIds) {
  agenda::Series series = council_series();
  Plan first = plan_series(series);
  Plan again = plan_series(series);
  ASSERT_EQ(first.notifications.size(), again.notifications.size());
  for (std::size_t i = 0; i < first.notifications.size(); ++i) {
    EXPECT_EQ(first.notifications[i].id, again.notifications[i].id);
  }

  std::map<std::string, model::NotificationId> before;
  for (const model::Notification& n : first.notifications) before[describe(n).substr(21)] = n.id;
  series.sessions[0].start.local += 1h;  // verkosto moves to 19:00
  series.sessions[0].end.local += 1h;
  series.invitation->send_at->local += 24h;  // the invitation goes a day later
  Plan moved = plan_series(series);
  for (const model::Notification& n : moved.notifications) {
    std::string key = describe(n).substr(21);
    bool changed = n.session && n.session->id == "verkosto";
    if (changed) {
      EXPECT_FALSE(before.contains(key) && before[key] == n.id) << key;
    } else {
      ASSERT_TRUE(before.contains(key)) << key;
      EXPECT_EQ(before[key], n.id) << key;
    }
  }
}

TEST(Planner, WithoutInvitationNobodyWasInvitedSoNobodyGetsACancellation) {
  agenda::Series series = council_series();
  series.invitation.reset();
  Plan plan = plan_series(series);
  EXPECT_EQ(plan.notifications.size(), 9u);
  for (const model::Notification& n : plan.notifications) {
    EXPECT_EQ(n.kind, model::NotificationKind::reminder) << describe(n);
  }
}

TEST(Planner, InvitationBeforeTheEarliestSessionWhateverTheFileOrder) {
  agenda::Series series = council_series();
  series.invitation = agenda::Invitation{std::nullopt, days(14), {8, 1}};
  // Written last, but the earliest: 14 calendar days before 26.1. 18:00.
  series.sessions.push_back(model::testing::session("ennakko", local(2022, 1, 26, 18, 0)));
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan), std::vector<std::string>{});
  ASSERT_TRUE(plan.times.invitation_due);
  EXPECT_EQ(*plan.times.invitation_due, utc(2022, 1, 12, 16, 0));
  EXPECT_EQ(plan.times.first_session, 4u);
  EXPECT_EQ(plan.notifications.front().kind, model::NotificationKind::invitation);
  EXPECT_EQ(plan.notifications.front().due, utc(2022, 1, 12, 16, 0));
}

TEST(Planner, DefaultChannelsAreThoseTheSeriesHas) {
  agenda::Series series = model::testing::empty_series();
  series.webhooks = {agenda::NameRef{"tiimi", {}}, agenda::NameRef{"kanava", {}}};
  series.reminders.push_back(model::testing::reminder(hours(1)));
  series.sessions.push_back(model::testing::session("a", local(2022, 2, 2, 18, 0)));
  Plan plan = plan_series(series);
  EXPECT_EQ(describe_all(plan), (std::vector<std::string>{
                                    "2022-02-02T15:00:00Z reminder a PT1H webhook kanava",
                                    "2022-02-02T15:00:00Z reminder a PT1H webhook tiimi",
                                }));

  series.webhooks.clear();
  series.participants = {model::testing::participant("a@example.org")};
  plan = plan_series(series);
  EXPECT_EQ(describe_all(plan), (std::vector<std::string>{
                                    "2022-02-02T15:00:00Z reminder a PT1H email a@example.org",
                                }));
}

TEST(Planner, NoAudienceMeansEveryParticipant) {
  agenda::Series series = council_series();
  series.audience.reset();
  Plan plan = plan_series(series);
  // Three e-mail recipients now: invitation, cancellation, P7D, P1D, PT2H each
  // gain one.
  EXPECT_EQ(plan.notifications.size(), 20u);
}

TEST(Planner, ReportsWrittenTimesInGapsAndFoldsWhereTheyWereWritten) {
  agenda::Series series = council_series();
  series.sessions[2].start = local(2022, 3, 27, 3, 30, {33, 9});
  series.sessions[2].end = local(2022, 3, 27, 5, 0, {34, 7});
  series.sessions[3].start = local(2022, 10, 30, 3, 30, {45, 9});
  series.sessions[3].end = local(2022, 10, 30, 5, 0, {46, 7});
  series.sessions[3].doors_open = local(2022, 10, 30, 3, 15, {47, 13});
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan),
            (std::vector<std::string>{
                "webinaarit.toml:33:9: error: 2022-03-27T03:30:00 does not exist in "
                "Europe/Helsinki: clocks go from 03:00 to 04:00 (+02:00 → +03:00)",
                "webinaarit.toml:45:9: error: 2022-10-30T03:30:00 is ambiguous in "
                "Europe/Helsinki: it is both 03:30+03:00 (00:30Z) and 03:30+02:00 (01:30Z); "
                "write it with an offset",
                "webinaarit.toml:47:13: error: 2022-10-30T03:15:00 is ambiguous in "
                "Europe/Helsinki: it is both 03:15+03:00 (00:15Z) and 03:15+02:00 (01:15Z); "
                "write it with an offset",
            }));
}

TEST(Planner, ReportsAReminderThatFallsAtOrAfterItsSessionStart) {
  agenda::Series series = council_series();
  agenda::Reminder late = model::testing::reminder(hours(1), {42, 3});
  late.at = 20h;  // PT1H before 18:00 lands on the same day: 20:00 is after the start
  series.sessions[0].reminders = std::vector<agenda::Reminder>{late};
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan),
            std::vector<std::string>{
                "webinaarit.toml:42:3: error: reminder PT1H at 20:00 for session 'verkosto' is "
                "due 2022-02-02T20:00:00+02:00, not before the session starts at "
                "2022-02-02T18:00:00+02:00"});

  late.at = 18h;  // exactly at the start is no reminder either
  series.sessions[0].reminders = std::vector<agenda::Reminder>{late};
  EXPECT_EQ(plan_series(series).diagnostics.size(), 1u);
  late.at = 17h + 59min;
  series.sessions[0].reminders = std::vector<agenda::Reminder>{late};
  EXPECT_TRUE(plan_series(series).diagnostics.empty());
}

TEST(Planner, ASessionStartInAGapIsReportedOnceNotAgainForItsReminders) {
  agenda::Series series = council_series();
  agenda::Reminder late = model::testing::reminder(hours(1), {42, 3});
  late.at = 20h;
  series.sessions[0].reminders = std::vector<agenda::Reminder>{late};
  series.sessions[0].start = local(2022, 3, 27, 3, 30, {21, 9});
  series.sessions[0].end = local(2022, 3, 27, 5, 0, {22, 7});
  series.invitation->send_at = local(2022, 3, 27, 3, 0, {9, 11});  // also in the gap
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan),
            (std::vector<std::string>{
                "webinaarit.toml:9:11: error: 2022-03-27T03:00:00 does not exist in "
                "Europe/Helsinki: clocks go from 03:00 to 04:00 (+02:00 → +03:00)",
                "webinaarit.toml:21:9: error: 2022-03-27T03:30:00 does not exist in "
                "Europe/Helsinki: clocks go from 03:00 to 04:00 (+02:00 → +03:00)",
            }));
}

TEST(Planner, ReportsAnInvitationDueAtOrAfterTheFirstSession) {
  agenda::Series series = council_series();
  series.invitation->send_at = local(2022, 2, 3, 9, 0, {9, 11});
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan),
            std::vector<std::string>{
                "webinaarit.toml:9:11: error: the invitation is due 2022-02-03T09:00:00+02:00, "
                "not before the first session 'verkosto' starts at 2022-02-02T18:00:00+02:00"});
}

TEST(Planner, SeriesSpanCoversAllSessions) {
  agenda::Series series = council_series();
  Plan plan = plan_series(series);
  EXPECT_EQ(plan.times.series_span.start, utc(2022, 2, 2, 16, 0));
  EXPECT_EQ(plan.times.series_span.end, utc(2022, 4, 6, 16, 30));  // hiljainen ends 19:30+03:00
  const model::Notification& invitation = plan.notifications.front();
  ASSERT_EQ(invitation.kind, model::NotificationKind::invitation);
  EXPECT_EQ(plan.span_of(invitation).end, plan.times.series_span.end);
  const model::Notification& last = plan.notifications.back();
  EXPECT_EQ(plan.span_of(last).start, utc(2022, 3, 26, 8, 0));
}

}  // namespace
}  // namespace kutsu::scheduler
