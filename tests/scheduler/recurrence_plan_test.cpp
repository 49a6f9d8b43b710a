// Recurring sessions, planned: the instants of every occurrence compared with
// ones computed independently (recurrence_oracle.py: Python's dateutil.rrule
// and zoneinfo), across both DST changes, for the rule forms organisers use,
// date lists moved by `on`, an .ics date that is another day in Helsinki, and
// a moved and a cancelled occurrence.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "agenda/series_parser.h"
#include "scheduler/planner.h"
#include "tests/fixtures/child_process.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::scheduler {
namespace {

namespace json = boost::json;
using date::local_days;

struct Case {
  std::string name;
  std::string session;  // the [[session]] keys after id/title
  json::object oracle;  // the case as recurrence_oracle.py reads it (without name/tz/until)
};

constexpr char kUntil[] = "2027-01-31";

std::string series_text(const std::string& session) {
  return "id = \"ryhma\"\n"
         "title = \"Ryhmä\"\n"
         "timezone = \"Europe/Helsinki\"\n"
         "organiser = { email = \"o@example.org\" }\n"
         "[[session]]\n"
         "id = \"kokous\"\n"
         "title = \"Kokous\"\n" +
         session;
}

json::object run_oracle(const std::vector<Case>& cases) {
  json::array input;
  for (const Case& c : cases) {
    json::object one = c.oracle;
    one["name"] = c.name;
    one["tz"] = "Europe/Helsinki";
    one["until"] = kUntil;
    input.push_back(one);
  }
  kutsu::testing::ChildProcess::Options options;
  options.argv = {"/usr/bin/python3",
                  std::string{KUTSU_SOURCE_DIR} + "/tests/scheduler/recurrence_oracle.py"};
  options.stdin_data = json::serialize(input);
  kutsu::testing::RunResult result = kutsu::testing::run(std::move(options), std::chrono::minutes(2));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? json::parse(result.out).as_object() : json::object{};
}

// The planned start of every occurrence that takes place, as UTC text.
std::vector<std::string> planned_starts(const std::string& text, const std::filesystem::path& file,
                                        std::vector<std::string>* cancelled = nullptr) {
  agenda::SeriesOptions options{agenda::PlanUntil{local_days{date::year{2027} / 1 / 31}}};
  agenda::SeriesLoad load = agenda::parse_series(text, file, std::nullopt, options);
  std::vector<std::string> starts;
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string();
  if (!load.series) return starts;
  Plan plan = plan_series(*load.series);
  for (const Diagnostic& d : plan.diagnostics) ADD_FAILURE() << d.to_string();
  for (const agenda::Session& session : load.series->sessions) {
    const std::string start = date::format("%FT%TZ", plan.times_of(session).start);
    if (session.cancelled) {
      if (cancelled) cancelled->push_back(session.id);
      continue;
    }
    starts.push_back(start);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

std::vector<std::string> strings_of(const json::value& value) {
  std::vector<std::string> out;
  for (const json::value& v : value.as_array()) out.emplace_back(v.as_string());
  return out;
}

TEST(RecurrencePlan, EveryRuleFormPlansTheInstantsDateutilComputes) {
  kutsu::testing::TempDir dir;
  dir.write("valtuusto.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            // 23:30Z on Sunday 22 Feb is Monday 23 Feb in Helsinki.
            "BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20260101T000000Z\r\n"
            "DTSTART:20260222T233000Z\r\nSUMMARY:Valtuusto\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:b@test\r\nDTSTAMP:20260101T000000Z\r\n"
            "DTSTART;VALUE=DATE:20260323\r\nSUMMARY:Valtuusto\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:c@test\r\nDTSTAMP:20260101T000000Z\r\n"
            "DTSTART;TZID=Europe/Helsinki:20260420T180000\r\nSUMMARY:Valtuusto\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:d@test\r\nDTSTAMP:20260101T000000Z\r\nSTATUS:CANCELLED\r\n"
            "DTSTART;VALUE=DATE:20260518\r\nSUMMARY:Peruttu\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n");
  const std::vector<Case> cases = {
      {"weekly_across_both_dst_changes",
       "start = 2026-01-13T08:30:00\nduration = \"PT45M\"\n"
       "repeat = \"FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229\"\n",
       {{"start", "2026-01-13T08:30:00"}, {"rrule", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229"}}},
      {"monthly_last_sunday",
       "start = 2026-01-25T18:00:00\nend = 19:30:00\n"
       "repeat = \"FREQ=MONTHLY;BYDAY=-1SU;COUNT=14\"\n",
       {{"start", "2026-01-25T18:00:00"}, {"rrule", "FREQ=MONTHLY;BYDAY=-1SU;COUNT=14"}}},
      {"until_in_utc",
       "start = 2026-01-13T08:30:00\nduration = \"PT45M\"\n"
       "repeat = \"FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602T053000Z\"\n",
       {{"start", "2026-01-13T08:30:00"},
        {"rrule", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602T053000Z"}}},
      {"count_every_other_week",
       "start = 2026-03-03T08:30:00\nduration = \"PT45M\"\n"
       "repeat = \"FREQ=WEEKLY;INTERVAL=2;COUNT=10\"\n",
       {{"start", "2026-03-03T08:30:00"}, {"rrule", "FREQ=WEEKLY;INTERVAL=2;COUNT=10"}}},
      {"except_dates",
       "start = 2026-01-13T08:30:00\nduration = \"PT45M\"\n"
       "repeat = \"FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602\"\nexcept = [2026-02-24, 2026-04-07]\n",
       {{"start", "2026-01-13T08:30:00"},
        {"rrule", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260602"},
        {"except", json::array{"2026-02-24", "2026-04-07"}}}},
      {"open_ended_up_to_the_horizon",
       "start = 2026-09-06T10:00:00\nduration = \"PT1H\"\nrepeat = \"FREQ=WEEKLY;BYDAY=SU\"\n",
       {{"start", "2026-09-06T10:00:00"}, {"rrule", "FREQ=WEEKLY;BYDAY=SU"}}},
      {"dates_sunday_before",
       "start = 18:00:00\nend = 19:30:00\n"
       "dates = [2026-01-26, 2026-02-23, 2026-03-23, 2026-11-02]\non = \"sunday before\"\n",
       {{"start", "2026-01-01T18:00:00"},
        {"dates", json::array{"2026-01-26", "2026-02-23", "2026-03-23", "2026-11-02"}},
        {"on", "sunday before"}}},
      {"dates_two_days_after",
       "start = 17:00:00\nduration = \"PT2H\"\ndates = [2026-03-27, 2026-10-23]\n"
       "on = \"2 days after\"\n",
       {{"start", "2026-01-01T17:00:00"},
        {"dates", json::array{"2026-03-27", "2026-10-23"}},
        {"on", "2 days after"}}},
      {"ics_dates_in_the_series_zone",
       "start = 18:00:00\nend = 19:30:00\ndates = \"valtuusto.ics\"\non = \"sunday before\"\n",
       {{"start", "2026-01-01T18:00:00"},
        {"dates", json::array{"2026-03-23", "2026-04-20"}},
        {"dates_utc", json::array{"2026-02-22T23:30:00Z"}},
        {"on", "sunday before"}}},
      {"moved_and_cancelled",
       "start = 18:00:00\nend = 19:30:00\ndates = [2026-01-26, 2026-02-23, 2026-03-23]\n"
       "on = \"sunday before\"\n"
       "[[session.occurrence]]\ndate = 2026-03-22\nstart = 17:00:00\nend = 18:30:00\n"
       "[[session.occurrence]]\ndate = 2026-02-22\ncancelled = true\n",
       {{"start", "2026-01-01T18:00:00"},
        {"dates", json::array{"2026-01-26", "2026-03-23"}},
        {"on", "sunday before"},
        {"moved", json::object{{"2026-03-22", "17:00:00"}}}}},
  };
  const json::object expected = run_oracle(cases);
  ASSERT_EQ(expected.size(), cases.size());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> cancelled;
    const std::vector<std::string> planned =
        planned_starts(series_text(c.session), dir.path() / "series.toml", &cancelled);
    EXPECT_EQ(planned, strings_of(expected.at(c.name)));
    if (c.name == "moved_and_cancelled") {
      EXPECT_EQ(cancelled, std::vector<std::string>{"kokous-20260222"});
    }
    EXPECT_FALSE(planned.empty());
  }
}

TEST(RecurrencePlan, OccurrenceIdsAreTheRuleDateAndStayWhenMoved) {
  kutsu::testing::TempDir dir;
  const std::string text = series_text(
      "start = 18:00:00\nend = 19:30:00\ndates = [2026-01-26, 2026-03-23]\non = \"sunday before\"\n"
      "[[session.occurrence]]\ndate = 2026-03-22\nstart = 2026-03-21T12:00:00\n"
      "title = \"Lauantaina poikkeuksellisesti\"\n");
  agenda::SeriesOptions options{agenda::PlanUntil{local_days{date::year{2027} / 1 / 31}}};
  agenda::SeriesLoad load = agenda::parse_series(text, dir.path() / "s.toml", std::nullopt, options);
  ASSERT_TRUE(load.series) << (load.diagnostics.empty() ? "" : load.diagnostics[0].to_string());
  ASSERT_EQ(load.series->sessions.size(), 2u);
  EXPECT_EQ(load.series->sessions[0].id, "kokous-20260125");
  EXPECT_EQ(load.series->sessions[1].id, "kokous-20260322");
  EXPECT_EQ(load.series->sessions[1].title, "Lauantaina poikkeuksellisesti");
  EXPECT_EQ(date::format("%FT%T", load.series->sessions[1].start.local), "2026-03-21T12:00:00");
  EXPECT_EQ(date::format("%FT%T", load.series->sessions[1].end.local), "2026-03-21T13:30:00");
  ASSERT_EQ(load.series->recurring.size(), 1u);
  EXPECT_EQ(load.series->recurring[0].id, "kokous");
  EXPECT_EQ(load.series->recurring[0].occurrences, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(load.series->sessions[1].occurrence->changed);
  EXPECT_FALSE(load.series->sessions[0].occurrence->changed);
}

TEST(RecurrencePlan, TheHorizonDecidesHowFarAnOpenEndedRuleIsPlannedAndIdsDoNotChange) {
  kutsu::testing::TempDir dir;
  const std::string text = series_text(
      "start = 2026-01-04T10:00:00\nduration = \"PT1H\"\nrepeat = \"FREQ=WEEKLY\"\n");
  auto ids_until = [&](local_days until) {
    agenda::SeriesOptions options{agenda::PlanUntil{until}};
    agenda::SeriesLoad load = agenda::parse_series(text, dir.path() / "s.toml", std::nullopt, options);
    std::vector<std::string> ids;
    if (load.series) {
      for (const agenda::Session& session : load.series->sessions) ids.push_back(session.id);
    }
    return ids;
  };
  const std::vector<std::string> near = ids_until(local_days{date::year{2026} / 1 / 31});
  const std::vector<std::string> far = ids_until(local_days{date::year{2026} / 3 / 1});
  EXPECT_EQ(near, (std::vector<std::string>{"kokous-20260104", "kokous-20260111", "kokous-20260118",
                                            "kokous-20260125"}));
  ASSERT_EQ(far.size(), 9u);
  EXPECT_TRUE(std::equal(near.begin(), near.end(), far.begin()));
  EXPECT_EQ(far.back(), "kokous-20260301");
  // An instant horizon is read in the series zone: 22:30Z on 28 Feb is
  // already 1 March in Helsinki.
  agenda::SeriesOptions instant{agenda::PlanUntil{date::sys_days{date::year{2026} / 2 / 28} +
                                                  std::chrono::hours{22} + std::chrono::minutes{30}}};
  agenda::SeriesLoad load = agenda::parse_series(text, dir.path() / "s.toml", std::nullopt, instant);
  ASSERT_TRUE(load.series);
  EXPECT_EQ(load.series->sessions.back().id, "kokous-20260301");
}

TEST(RecurrencePlan, AnOccurrenceInADstGapIsAnErrorThatNamesItsDate) {
  // 03:30 does not exist in Helsinki on 29 March 2026, the rule's third date.
  const std::string text = series_text(
      "start = 2026-03-15T03:30:00\nduration = \"PT1H\"\nrepeat = \"FREQ=WEEKLY;COUNT=3\"\n");
  agenda::SeriesOptions options{agenda::PlanUntil{local_days{date::year{2027} / 1 / 31}}};
  agenda::SeriesLoad load = agenda::parse_series(text, "series.toml", std::nullopt, options);
  ASSERT_TRUE(load.series);
  Plan plan = plan_series(*load.series);
  ASSERT_EQ(plan.diagnostics.size(), 1u);
  EXPECT_EQ(plan.diagnostics[0].to_string(),
            "series.toml:8:9: error: 2026-03-29T03:30:00 does not exist in Europe/Helsinki: "
            "clocks go from 03:00 to 04:00 (+02:00 → +03:00)");
}

}  // namespace
}  // namespace kutsu::scheduler
