// The supported years (agenda/time_range.h) as the planner enforces them on
// the moments it computes, and the fact about date's tz database that the
// upper bound rests on.
#include <gtest/gtest.h>

#include <date/tz.h>

#include "agenda/time_range.h"
#include "scheduler/planner.h"
#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using namespace std::chrono_literals;
using model::testing::days;
using model::testing::hours;
using model::testing::local;

std::vector<std::string> messages(const Plan& plan) {
  std::vector<std::string> out;
  for (const Diagnostic& d : plan.diagnostics) out.push_back(d.to_string());
  return out;
}

// One session early on 2 January 1970 in Helsinki, one councillor invited.
agenda::Series first_days_series() {
  agenda::Series series = model::testing::empty_series();
  series.participants = {model::testing::participant("matti@example.org")};
  series.sessions.push_back(model::testing::session("alku", local(1970, 1, 2, 18, 0, {7, 9})));
  return series;
}

TEST(PlannerTimeRange, AReminderBeforeTheFirstSupportedYearIsReportedAtTheReminder) {
  agenda::Series series = first_days_series();
  series.reminders.push_back(model::testing::reminder(days(1), {5, 1}));  // 1970-01-01: fine
  series.reminders.push_back(model::testing::reminder(days(7), {6, 1}));  // 1969-12-26
  agenda::Reminder at_nine = model::testing::reminder(hours(48), {7, 1});
  at_nine.at = 9h;
  series.reminders.push_back(at_nine);  // 1969-12-31T09:00
  Plan plan = plan_series(series);
  EXPECT_EQ(messages(plan),
            (std::vector<std::string>{
                "webinaarit.toml:6:1: error: reminder P7D for session 'alku' is due "
                "1969-12-26T18:00:00+02:00, outside the years Kutsu supports, 1970–2037 "
                "(time-zone rules are known only for those)",
                "webinaarit.toml:7:1: error: reminder PT48H at 09:00 for session 'alku' is due "
                "1969-12-31T09:00:00+02:00, outside the years Kutsu supports, 1970–2037 "
                "(time-zone rules are known only for those)",
            }));
}

TEST(PlannerTimeRange, AnInvitationBeforeTheFirstSupportedYearIsReportedAtTheInvitation) {
  agenda::Series series = first_days_series();
  series.invitation = agenda::Invitation{std::nullopt, days(2), {4, 1}};
  EXPECT_EQ(messages(plan_series(series)),
            std::vector<std::string>{
                "webinaarit.toml:4:1: error: the invitation is due 1969-12-31T18:00:00+02:00, "
                "outside the years Kutsu supports, 1970–2037 (time-zone rules are known only "
                "for those)"});
  series.invitation->before = days(1);
  EXPECT_TRUE(plan_series(series).diagnostics.empty());
}

TEST(PlannerTimeRange, TheLastSupportedDayPlansWithoutComplaint) {
  agenda::Series series = model::testing::empty_series();
  series.participants = {model::testing::participant("matti@example.org")};
  series.invitation = agenda::Invitation{std::nullopt, days(366), {}};
  series.reminders.push_back(model::testing::reminder(days(366)));
  series.sessions.push_back(model::testing::session("loppu", local(2037, 12, 31, 22, 0)));
  Plan plan = plan_series(series);
  EXPECT_TRUE(plan.diagnostics.empty()) << messages(plan).front();
  EXPECT_EQ(plan.notifications.size(), 2u);
}

// Why the range ends in 2037: over the OS tz database date knows the
// daylight-saving transitions the zone files list, which zic writes up to
// 2037. If this fails, the last supported year must come down with it (or
// may go up, if date starts following the rules beyond the listed years).
TEST(PlannerTimeRange, DateStillKnowsDaylightSavingInTheLastSupportedYear) {
  const int last = int{agenda::kLastSupportedYear};
  for (const char* name : {"Europe/Helsinki", "America/New_York", "Australia/Sydney",
                           "Australia/Lord_Howe", "America/Santiago"}) {
    const date::time_zone* zone = date::locate_zone(name);
    const date::sys_info january = zone->get_info(date::sys_days{date::year{last} / 1 / 15});
    const date::sys_info july = zone->get_info(date::sys_days{date::year{last} / 7 / 15});
    EXPECT_NE(january.offset, july.offset) << name << " in " << last;
  }
}

}  // namespace
}  // namespace kutsu::scheduler
