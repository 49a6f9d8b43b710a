// The council group example (examples/valtuustoryhma-2026.*): the group of
// shared/seeds/council-group-plan.fi.txt meets on the Sunday before each
// meeting of the council calendar examples/valtuusto-2026.ics. What a member
// gets is compared with the calendar as python3-icalendar reads it
// (council_calendar_oracle.py), not with Kutsu's own reading of it.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agenda/series_parser.h"
#include "scheduler/planner.h"

namespace kutsu::agenda {
namespace {

namespace fs = std::filesystem;
using date::local_days;

const fs::path kExamples = fs::path(KUTSU_SOURCE_DIR) / "examples";
const fs::path kExample = kExamples / "valtuustoryhma-2026.toml";

std::string day_of(const WrittenTime& time) {
  return date::format("%F", date::floor<date::days>(time.local));
}
std::string local(const WrittenTime& time) { return date::format("%FT%T", time.local); }

// The oracle's lines, by kind: "meeting", "cancelled", "sunday", "sunday-cancelled".
struct CouncilCalendar {
  std::vector<std::string> meeting, cancelled, sunday, sunday_cancelled;
};

CouncilCalendar read_council_calendar() {
  const std::string command = "/usr/bin/python3 '" KUTSU_SOURCE_DIR
                              "/tests/agenda/council_calendar_oracle.py' '" +
                              (kExamples / "valtuusto-2026.ics").string() + "'";
  CouncilCalendar calendar;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot start " << command;
    return calendar;
  }
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << "\n" << out;
  std::istringstream lines(out);
  for (std::string kind, day; lines >> kind >> day;) {
    if (kind == "meeting") calendar.meeting.push_back(day);
    else if (kind == "cancelled") calendar.cancelled.push_back(day);
    else if (kind == "sunday") calendar.sunday.push_back(day);
    else if (kind == "sunday-cancelled") calendar.sunday_cancelled.push_back(day);
    else ADD_FAILURE() << "oracle line: " << kind << " " << day;
  }
  return calendar;
}

class CouncilGroupExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { calendar_ = new CouncilCalendar(read_council_calendar()); }
  static void TearDownTestSuite() { delete calendar_; }

  void SetUp() override {
    // Plan as of the example's own year: a date list is planned whole anyway.
    SeriesLoad load =
        load_series(kExample, SeriesOptions{PlanUntil{local_days{date::year{2026} / 12 / 31}}});
    for (const Diagnostic& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string();
    ASSERT_TRUE(load.series.has_value());
    series_ = std::move(*load.series);
  }

  // The group's regular meetings: the occurrences of [[session]] "ryhmakokous".
  std::vector<const Session*> group_meetings() const {
    std::vector<const Session*> meetings;
    for (const Session& session : series_.sessions) {
      if (session.occurrence &&
          series_.recurring.at(session.occurrence->recurring).id == "ryhmakokous") {
        meetings.push_back(&session);
      }
    }
    return meetings;
  }
  const Session* session(const std::string& id) const {
    for (const Session& session : series_.sessions) {
      if (session.id == id) return &session;
    }
    return nullptr;
  }

  static CouncilCalendar* calendar_;
  Series series_;
};

CouncilCalendar* CouncilGroupExample::calendar_ = nullptr;

TEST_F(CouncilGroupExample, TheCouncilCalendarIsMonthlyOnMondaysWithoutJulyAndOneCancelled) {
  // What the example promises about its .ics, as python3-icalendar reads it.
  EXPECT_EQ(calendar_->meeting,
            (std::vector<std::string>{"2026-01-26", "2026-02-23", "2026-03-23", "2026-05-18",
                                      "2026-06-15", "2026-08-24", "2026-09-21", "2026-10-19",
                                      "2026-11-09", "2026-12-14", "2026-12-15"}));
  EXPECT_EQ(calendar_->cancelled, std::vector<std::string>{"2026-04-20"});
  for (const std::string& day : calendar_->meeting) EXPECT_NE(day.substr(5, 2), "07") << day;
}

TEST_F(CouncilGroupExample, TheGroupMeetsOnTheSundayBeforeEachCouncilMeeting) {
  std::vector<std::string> planned, ids;
  for (const Session* meeting : group_meetings()) {
    planned.push_back(date::format("%F", meeting->occurrence->planned));
    ids.push_back(meeting->id);
    EXPECT_EQ(meeting->title, "Valtuustoryhmän kokous");
    EXPECT_EQ(meeting->location, "Teams");
    EXPECT_FALSE(meeting->cancelled) << meeting->id;
  }
  // Ten meetings: eleven council days, the budget meeting's two days share
  // one Sunday, nothing before the cancelled April meeting or in July.
  ASSERT_EQ(planned.size(), 10u);
  EXPECT_EQ(planned, calendar_->sunday);
  EXPECT_EQ(planned, (std::vector<std::string>{"2026-01-25", "2026-02-22", "2026-03-22",
                                               "2026-05-17", "2026-06-14", "2026-08-23",
                                               "2026-09-20", "2026-10-18", "2026-11-08",
                                               "2026-12-13"}));
  EXPECT_EQ(ids.front(), "ryhmakokous-20260125");
  EXPECT_EQ(ids.back(), "ryhmakokous-20261213");
  // Every one but the moved one is what a member sees: Sunday 18.00–19.30.
  for (const Session* meeting : group_meetings()) {
    if (meeting->id == "ryhmakokous-20261108") continue;
    const local_days day = date::floor<date::days>(meeting->start.local);
    EXPECT_EQ(date::weekday{day}, date::Sunday) << meeting->id;
    EXPECT_EQ(date::format("%F", day), date::format("%F", meeting->occurrence->planned));
    EXPECT_EQ(date::format("%R", meeting->start.local), "18:00") << meeting->id;
    EXPECT_EQ(date::format("%R", meeting->end.local), "19:30") << meeting->id;
  }
}

TEST_F(CouncilGroupExample, NoGroupMeetingBeforeTheCancelledCouncilMeeting) {
  ASSERT_EQ(calendar_->sunday_cancelled, std::vector<std::string>{"2026-04-19"});
  for (const Session& session : series_.sessions) {
    EXPECT_NE(day_of(session.start), "2026-04-19") << session.id;
  }
  EXPECT_EQ(session("ryhmakokous-20260419"), nullptr);
}

TEST_F(CouncilGroupExample, TheFathersDayMeetingIsMovedToSaturdayMorningUnderItsOwnId) {
  const Session* moved = session("ryhmakokous-20261108");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(local(moved->start), "2026-11-07T10:00:00");
  EXPECT_EQ(local(moved->end), "2026-11-07T11:30:00");
  EXPECT_EQ(date::weekday{date::floor<date::days>(moved->start.local)}, date::Saturday);
  EXPECT_FALSE(moved->cancelled);
  ASSERT_TRUE(moved->occurrence.has_value());
  EXPECT_TRUE(moved->occurrence->changed);
  EXPECT_EQ(date::format("%F", moved->occurrence->planned), "2026-11-08");
  EXPECT_NE(moved->description.find("Isänpäivän vuoksi"), std::string::npos);
  // Still before the council meeting it prepares, which is on 9.11.
  EXPECT_NE(std::find(calendar_->meeting.begin(), calendar_->meeting.end(), "2026-11-09"),
            calendar_->meeting.end());
  // The only changed one.
  int changed = 0;
  for (const Session* meeting : group_meetings()) changed += meeting->occurrence->changed;
  EXPECT_EQ(changed, 1);
}

TEST_F(CouncilGroupExample, GatheringsAnnualMeetingAndPlanningMeetingsAreOrdinarySessions) {
  std::vector<std::string> others;
  for (const Session& session : series_.sessions) {
    if (session.occurrence) continue;
    others.push_back(session.id + " " + local(session.start) + "/" + local(session.end));
  }
  EXPECT_EQ(others, (std::vector<std::string>{
                        "kevatkauden-suunnittelu 2026-01-10T10:00:00/2026-01-10T13:00:00",
                        "vuosikokous 2026-03-10T18:00:00/2026-03-10T20:00:00",
                        "kevatkokoontuminen 2026-04-25T10:00:00/2026-04-25T16:00:00",
                        "syyskauden-suunnittelu 2026-08-15T10:00:00/2026-08-15T13:00:00",
                        "syyskokoontuminen 2026-09-26T10:00:00/2026-09-26T18:00:00",
                    }));
  for (const char* id : {"vuosikokous", "kevatkokoontuminen", "syyskokoontuminen"}) {
    const Session* in_person = session(id);
    ASSERT_NE(in_person, nullptr) << id;
    EXPECT_TRUE(in_person->location.ends_with(" Rantala")) << in_person->location;
    ASSERT_TRUE(in_person->reminders.has_value()) << id;
    EXPECT_EQ(in_person->reminders->front().before.canonical(), "P14D") << id;
    EXPECT_FALSE(in_person->agenda.empty()) << id;
  }
}

// What one member's mailbox gets over the year, and the piiritoimisto
// (outside the audience) nothing.
TEST_F(CouncilGroupExample, WhatAMemberReceives) {
  scheduler::Plan plan = scheduler::plan_series(series_);
  for (const Diagnostic& diagnostic : plan.diagnostics) ADD_FAILURE() << diagnostic.to_string();
  int invitations = 0, reminders = 0, office = 0;
  std::set<std::string> moved_meeting_dues;
  for (const model::Notification& notification : plan.notifications) {
    if (notification.recipient == "piiritoimisto@example.org") ++office;
    if (notification.recipient != "tapio.rasanen@example.org") continue;
    if (notification.kind == model::NotificationKind::invitation) ++invitations;
    if (notification.kind == model::NotificationKind::reminder) ++reminders;
    if (notification.session && notification.session->id == "ryhmakokous-20261108") {
      moved_meeting_dues.insert(date::format("%FT%TZ", notification.due));
    }
  }
  EXPECT_EQ(invitations, 1);
  // 10 group meetings and 2 planning meetings × 2 series reminders, the
  // annual meeting and the two gatherings × their own 2.
  EXPECT_EQ(reminders, 10 * 2 + 2 * 2 + 3 * 2);
  EXPECT_EQ(office, 0);
  // Friday 6.11. at 12.00 and Saturday 7.11. at 9.30, Helsinki time (UTC+2).
  EXPECT_EQ(moved_meeting_dues,
            (std::set<std::string>{"2026-11-06T10:00:00Z", "2026-11-07T07:30:00Z"}));
  EXPECT_EQ(plan.notifications.size(), 8u * (1 + 30));
}

}  // namespace
}  // namespace kutsu::agenda
