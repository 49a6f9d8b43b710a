// The iCalendar importer (importer/ics_import.h): Outlook and Google exports,
// every kind of time an .ics file can hold, recurrence with its exceptions
// and overrides, the problems it must report with their lines, and a round
// trip: the written series TOML is accepted by the series parser and plans
// the same instants as an independent reading of the file (ics_oracle.py:
// Python's icalendar and dateutil).
#include "importer/ics_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "agenda/series_parser.h"
#include "importer/series_writer.h"
#include "tests/fixtures/child_process.h"

namespace kutsu::importer {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace json = boost::json;

const std::string kData = std::string(KUTSU_SOURCE_DIR) + "/tests/importer/data/";

std::string read_data(const std::string& name) {
  std::ifstream in(kData + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ImportLoad import_text(const std::string& text, ImportOptions options = {}) {
  return import_ics(text, "cal.ics", options);
}

ImportLoad import_data(const std::string& name, ImportOptions options = {}) {
  ImportLoad load = import_ics(read_data(name), name, options);
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string();
  return load;
}

LocalTime at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return std::chrono::local_days{std::chrono::year{y} / m / d} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

std::chrono::local_days day(int y, unsigned m, unsigned d) { return std::chrono::local_days{std::chrono::year{y} / m / d}; }

const DraftSession& session(const DraftSeries& draft, const std::string& title) {
  for (const DraftSession& s : draft.sessions) {
    if (s.title == title) return s;
  }
  ADD_FAILURE() << "no session '" << title << "'";
  static const DraftSession none;
  return none;
}

std::string notes_of(const DraftSession& s) {
  std::string all;
  for (const auto& note : s.notes) all += note + "\n";
  return all;
}

// A minimal calendar around `events` (VEVENT blocks), lines joined with CRLF.
std::string calendar(const std::string& body) {
  std::string text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + body + "END:VCALENDAR\n";
  return std::regex_replace(text, std::regex("\n"), "\r\n");
}

// ---------------------------------------------------------------------------
// Outlook: FLE Standard Time with its own VTIMEZONE, a weekly rule with
// EXDATE and a UTC UNTIL, a moved occurrence, a Teams link in the text.

TEST(IcsImport, OutlookFleStandardTimeBecomesHelsinki) {
  ImportLoad load = import_data("outlook_fle.ics");
  ASSERT_TRUE(load.draft);
  const DraftSeries& draft = *load.draft;
  EXPECT_EQ(draft.timezone, "Europe/Helsinki");
  EXPECT_EQ(draft.title, "Aamukahvit 2026");
  EXPECT_EQ(draft.language, agenda::Language::fi);
  ASSERT_EQ(draft.sessions.size(), 2u);

  const DraftSession& coffee = draft.sessions[0];
  EXPECT_EQ(coffee.id, "aamukahvit");
  EXPECT_EQ(coffee.title, "Aamukahvit");
  EXPECT_EQ(coffee.start, at(2026, 1, 13, 8, 30));
  EXPECT_EQ(coffee.end, at(2026, 1, 13, 9, 15));
  // UNTIL=20260602T053000Z is 08:30 in Helsinki: the occurrence that day is in.
  EXPECT_EQ(coffee.repeat, "FREQ=WEEKLY;UNTIL=20260602;BYDAY=TU");
  EXPECT_EQ(coffee.except, std::vector<std::chrono::local_days>{day(2026, 2, 24)});
  EXPECT_EQ(coffee.join_url,
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA0YzE4ZDQtZWM3Ny00ZTIyLWI2YjgtNDM1YTc5YmZkNWM0"
            "%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%7d");
  EXPECT_EQ(coffee.location, "Microsoft Teams -kokous");
  EXPECT_EQ(coffee.source_line, 29);
  ASSERT_EQ(coffee.occurrences.size(), 1u);
  const DraftOccurrence& moved = coffee.occurrences[0];
  EXPECT_EQ(moved.date, day(2026, 3, 31));
  EXPECT_EQ(moved.start, at(2026, 3, 31, 9, 0));
  EXPECT_FALSE(moved.end);  // 09:00–09:45 keeps the rule's 45 minutes
  EXPECT_EQ(moved.title, "Aamukahvit (myöhemmin)");
  EXPECT_FALSE(moved.cancelled);

  const DraftSession& seminar = draft.sessions[1];
  EXPECT_EQ(seminar.id, "kevatseminaari-aanestys-paatoksenteko");
  EXPECT_EQ(seminar.start, at(2026, 4, 25, 10));
  EXPECT_EQ(seminar.end, at(2026, 4, 25, 15));
  EXPECT_EQ(seminar.join_url, "https://example.zoom.us/j/93847561234?pwd=abc");  // URL wins
  EXPECT_TRUE(seminar.repeat.empty());
}

TEST(IcsImport, WindowsZoneAndCustomVtimezone) {
  ImportOptions options;
  options.timezone = "Europe/Helsinki";
  ImportLoad load = import_data("windows_zones.ics", options);
  ASSERT_TRUE(load.draft);
  // W. Europe Standard Time (ICU: Europe/Berlin) 09:00 is 10:00 in Helsinki.
  EXPECT_EQ(session(*load.draft, "Nordic partners call").start, at(2026, 3, 10, 10));
  // A VTIMEZONE nobody else knows, with Helsinki's rules, in summer time.
  EXPECT_EQ(session(*load.draft, "Paikallinen ilta").start, at(2026, 4, 2, 18));
  EXPECT_EQ(session(*load.draft, "Paikallinen ilta").end, at(2026, 4, 2, 19, 30));
}

TEST(IcsImport, WindowsZoneOutsideFinlandIsTheSeriesZoneWhenMostEventsUseIt) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=\"W. Europe Standard Time\":20260310T090000\n"
      "DTEND;TZID=\"W. Europe Standard Time\":20260310T100000\nSUMMARY:A\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(load.draft->timezone, "Europe/Berlin");
  EXPECT_EQ(load.draft->sessions[0].start, at(2026, 3, 10, 9));
}

// ---------------------------------------------------------------------------
// Google: TZID=Europe/Helsinki, UTC single events, overrides, RDATE, a
// cancelled event, a Meet link.

TEST(IcsImport, GoogleExport) {
  ImportLoad load = import_data("google_helsinki.ics");
  ASSERT_TRUE(load.draft);
  const DraftSeries& draft = *load.draft;
  EXPECT_EQ(draft.timezone, "Europe/Helsinki");
  EXPECT_EQ(draft.title, "Aluevaltuutetut 2026");
  EXPECT_EQ(draft.description, "Webinaarisarja uusille aluevaltuutetuille.");
  ASSERT_EQ(draft.sessions.size(), 4u);
  // Sorted by start.
  EXPECT_EQ(draft.sessions[0].title, "Valtuustoryhmän kokous");
  EXPECT_EQ(draft.sessions[1].title, "Keskiviikon webinaari");
  EXPECT_EQ(draft.sessions[2].title, "Seminaaripäivä");
  EXPECT_EQ(draft.sessions[3].title, "Talousarvio-ilta");

  const DraftSession& weekly = draft.sessions[1];
  EXPECT_EQ(weekly.repeat, "FREQ=WEEKLY;COUNT=8;BYDAY=WE");
  EXPECT_EQ(weekly.join_url, "https://meet.google.com/abc-defg-hij");
  ASSERT_EQ(weekly.occurrences.size(), 2u);
  EXPECT_EQ(weekly.occurrences[0].date, day(2026, 3, 11));
  EXPECT_EQ(weekly.occurrences[0].start, at(2026, 3, 11, 19));
  EXPECT_FALSE(weekly.occurrences[0].cancelled);
  EXPECT_TRUE(weekly.occurrences[0].description);  // the phone numbers are gone from it
  EXPECT_EQ(weekly.occurrences[1].date, day(2026, 3, 18));
  EXPECT_TRUE(weekly.occurrences[1].cancelled);
  EXPECT_FALSE(weekly.occurrences[1].start);

  // 08:00Z on 28 March 2026 (before the change on the 29th) is 10:00 in Helsinki.
  const DraftSession& seminar = draft.sessions[2];
  EXPECT_EQ(seminar.start, at(2026, 3, 28, 10));
  EXPECT_EQ(seminar.end, at(2026, 3, 28, 15));
  EXPECT_EQ(seminar.location, "Tampere-talo, Yliopistonkatu 55, Tampere");
  // 15:00Z on 15 April (summer time) is 18:00.
  const DraftSession& cancelled = draft.sessions[3];
  EXPECT_TRUE(cancelled.cancelled);
  EXPECT_EQ(cancelled.start, at(2026, 4, 15, 18));

  const DraftSession& group = draft.sessions[0];
  EXPECT_TRUE(group.repeat.empty());
  EXPECT_EQ(group.dates, (std::vector<std::chrono::local_days>{day(2026, 1, 26), day(2026, 2, 23), day(2026, 3, 23),
                                                               day(2026, 4, 20)}));
  EXPECT_EQ(group.start, at(2026, 1, 26, 17));
  EXPECT_EQ(group.end, at(2026, 1, 26, 18, 30));
  ASSERT_EQ(group.occurrences.size(), 1u);  // 20 April is at 16:00
  EXPECT_EQ(group.occurrences[0].date, day(2026, 4, 20));
  EXPECT_EQ(group.occurrences[0].start, at(2026, 4, 20, 16));
}

// ---------------------------------------------------------------------------
// Times.

TEST(IcsImport, UtcTimesAcrossTheSpringChange) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART:20260328T160000Z\nDTEND:20260328T170000Z\nSUMMARY:Ennen\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:b\nDTSTART:20260329T160000Z\nDTEND:20260329T170000Z\nSUMMARY:Jälkeen\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(load.draft->timezone, "Europe/Helsinki");  // no zone named: the default
  EXPECT_EQ(session(*load.draft, "Ennen").start, at(2026, 3, 28, 18));
  EXPECT_EQ(session(*load.draft, "Jälkeen").start, at(2026, 3, 29, 19));
  EXPECT_EQ(session(*load.draft, "Jälkeen").end, at(2026, 3, 29, 20));
}

TEST(IcsImport, UtcTimesIntoAnotherSeriesZone) {
  ImportOptions options;
  options.timezone = "America/New_York";
  // New York changes on 8 March, Europe on 29 March.
  ImportLoad load = import_text(
      calendar("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Helsinki:20260320T180000\nDURATION:PT1H\n"
               "SUMMARY:Väli\nEND:VEVENT\n"),
      options);
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(load.draft->timezone, "America/New_York");
  EXPECT_EQ(load.draft->sessions[0].start, at(2026, 3, 20, 12));
}

TEST(IcsImport, FloatingTimesAreSeriesWallClock) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Stockholm:20260310T090000\nDTEND;TZID=Europe/Stockholm:20260310T100000\n"
      "SUMMARY:Zoned\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:b\nDTSTART:20260311T090000\nDTEND:20260311T100000\nSUMMARY:Floating\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(load.draft->timezone, "Europe/Stockholm");
  EXPECT_EQ(session(*load.draft, "Floating").start, at(2026, 3, 11, 9));
  std::string notes;
  for (const auto& note : load.draft->notes) notes += note;
  EXPECT_THAT(notes, HasSubstr("floating"));
}

TEST(IcsImport, DurationIsKeptAsDuration) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Helsinki:20260310T083000\nDURATION:PT45M\nSUMMARY:A\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(load.draft->sessions[0].duration, std::chrono::seconds{45min});
  EXPECT_FALSE(load.draft->sessions[0].end);
}

TEST(IcsImport, AllDayEventIsNineToFiveWithANote) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20260314\nDTEND;VALUE=DATE:20260316\nSUMMARY:Leiri\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  const DraftSession& camp = load.draft->sessions[0];
  EXPECT_EQ(camp.start, at(2026, 3, 14, 9));
  EXPECT_EQ(camp.end, at(2026, 3, 15, 17));
  EXPECT_THAT(notes_of(camp), HasSubstr("all-day event in the calendar (2026-03-14 – 2026-03-15): 09:00–17:00"));
}

// ---------------------------------------------------------------------------
// Links.

TEST(IcsImport, HttpsUrlBeatsTeamsLinkAndHttpUrlDoesNot) {
  const std::string teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0";
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART:20260310T080000Z\nDURATION:PT1H\nSUMMARY:A\nURL:https://example.org/live\n"
      "DESCRIPTION:Liity<" + teams + ">\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:b\nDTSTART:20260311T080000Z\nDURATION:PT1H\nSUMMARY:B\nURL:http://example.org/live\n"
      "DESCRIPTION:Asetukset https://teams.microsoft.com/meetingOptions/?x=1 ja liity " + teams + ".\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:c\nDTSTART:20260312T080000Z\nDURATION:PT1H\nSUMMARY:C\n"
      "LOCATION:https://us02web.zoom.us/j/8123456789\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  EXPECT_EQ(session(*load.draft, "A").join_url, "https://example.org/live");
  EXPECT_EQ(session(*load.draft, "B").join_url, teams);
  EXPECT_THAT(notes_of(session(*load.draft, "B")), HasSubstr("http://example.org/live is not an https link"));
  EXPECT_EQ(session(*load.draft, "C").join_url, "https://us02web.zoom.us/j/8123456789");
}

// ---------------------------------------------------------------------------
// Recurrence corner cases.

TEST(IcsImport, RuleTheSeriesFormatRefusesIsKeptAsANote) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Helsinki:20260310T080000\nDURATION:PT15M\n"
      "RRULE:FREQ=HOURLY;COUNT=4\nSUMMARY:Tunneittain\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  const DraftSession& s = load.draft->sessions[0];
  EXPECT_TRUE(s.repeat.empty());
  EXPECT_THAT(notes_of(s), HasSubstr("NOT IMPORTED: the calendar repeats this event by RRULE:FREQ=HOURLY;COUNT=4"));
  ASSERT_FALSE(load.draft->notes.empty());
  EXPECT_THAT(load.draft->notes.back(), HasSubstr("line 4"));
}

TEST(IcsImport, RdateWithRuleIsANoteAndUntilBeforeTheTimeOfDayEndsTheDayBefore) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Helsinki:20260105T180000\nDURATION:PT1H\n"
      "RRULE:FREQ=WEEKLY;UNTIL=20260126T150000Z\nRDATE;TZID=Europe/Helsinki:20260131T120000\n"
      "SUMMARY:Viikko\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  const DraftSession& s = load.draft->sessions[0];
  // 15:00Z is 17:00 in Helsinki, before 18:00: 26 January is not an occurrence.
  EXPECT_EQ(s.repeat, "FREQ=WEEKLY;UNTIL=20260125");
  EXPECT_THAT(notes_of(s), HasSubstr("2026-01-31 12:00 (RDATE)"));
}

TEST(IcsImport, OverrideWithoutItsMasterIsASessionOfItsOwn) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:lost\nRECURRENCE-ID;TZID=Europe/Helsinki:20260310T180000\n"
      "DTSTART;TZID=Europe/Helsinki:20260310T190000\nDURATION:PT1H\nSUMMARY:Siirretty\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  ASSERT_EQ(load.draft->sessions.size(), 1u);
  EXPECT_EQ(load.draft->sessions[0].start, at(2026, 3, 10, 19));
  EXPECT_THAT(notes_of(load.draft->sessions[0]), HasSubstr("not in the calendar (UID lost)"));
}

TEST(IcsImport, ExdateThatIsNoOccurrenceIsANote) {
  ImportLoad load = import_text(calendar(
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Helsinki:20260105T180000\nDURATION:PT1H\n"
      "RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Helsinki:20260106T180000,20260112T180000\n"
      "SUMMARY:Viikko\nEND:VEVENT\n"));
  ASSERT_TRUE(load.draft);
  const DraftSession& s = load.draft->sessions[0];
  EXPECT_EQ(s.except, std::vector<std::chrono::local_days>{day(2026, 1, 12)});
  EXPECT_THAT(notes_of(s), HasSubstr("2026-01-06 (EXDATE), which is not a date of the rule"));
}

// ---------------------------------------------------------------------------
// Bad input: a message an organiser understands, at the right line.

void expect_problem(const std::string& text, int line, const std::string& words) {
  ImportLoad load = import_text(text);
  EXPECT_FALSE(load.draft);
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].file, "cal.ics");
  EXPECT_EQ(load.diagnostics[0].pos.line, line) << load.diagnostics[0].to_string();
  EXPECT_THAT(load.diagnostics[0].message, HasSubstr(words));
}

TEST(IcsImportProblems, NotICalendar) {
  expect_problem("this is not a calendar\n", 0, "libical cannot read this as an iCalendar file");
}

TEST(IcsImportProblems, NoEvent) {
  expect_problem(calendar("BEGIN:VTODO\nUID:x\nSUMMARY:Tee\nEND:VTODO\n"), 1, "holds no event (VEVENT)");
}

TEST(IcsImportProblems, EventWithoutStart) {
  expect_problem(calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260310T080000Z\nSUMMARY:Hyvä\nEND:VEVENT\n"
                          "BEGIN:VEVENT\nUID:b\nSUMMARY:Ilman aikaa\nDTEND:20260310T080000Z\nEND:VEVENT\n"),
                 9, "the event 'Ilman aikaa' has no start (DTSTART)");
}

TEST(IcsImportProblems, UnreadableStartIsAtItsLine) {
  expect_problem(calendar("BEGIN:VEVENT\nUID:a\nSUMMARY:Rikki\nDTSTART;TZID=Europe/Helsinki:2026031\n"
                          " 0T0800\nEND:VEVENT\n"),
                 7, "DTSTART '20260310T0800' of the event 'Rikki' cannot be read");
}

TEST(IcsImportProblems, UnknownTzid) {
  expect_problem(calendar("BEGIN:VEVENT\nUID:a\nSUMMARY:Missä\nDTSTART;TZID=Mars/Olympus:20260310T080000\n"
                          "DURATION:PT1H\nEND:VEVENT\n"),
                 7, "DTSTART of the event 'Missä' names the time zone 'Mars/Olympus', which is neither an IANA "
                    "zone");
}

TEST(IcsImportProblems, YearOutsideTheSupportedOnes) {
  expect_problem(calendar("BEGIN:VEVENT\nUID:a\nSUMMARY:Kaukana\nDTSTART:20600310T080000Z\nEND:VEVENT\n"), 7,
                 "outside the years Kutsu supports");
}

TEST(IcsImportProblems, HostileInputsNeverCrash) {
  for (const std::string& text :
       {std::string(""), std::string("BEGIN:VCALENDAR\r\n"), std::string("BEGIN:VCALENDAR\nBEGIN:VEVENT\n"),
        calendar("BEGIN:VEVENT\nDTSTART:99999999T999999\nRRULE:FREQ=SECONDLY;BYSECOND=0,1,2\nEND:VEVENT\n"),
        calendar("BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:00010101T000000\nRRULE:FREQ=SECONDLY\n"
                 "TZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"
                 "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=X:20260101T000000\nEND:VEVENT\n"),
        calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;UNTIL=00000000\nEND:VEVENT\n"),
        calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260101T000000Z\nRECURRENCE-ID:20260101T000000Z\nEND:VEVENT\n"
                 "BEGIN:VEVENT\nUID:a\nDTSTART:20260101T000000Z\nEND:VEVENT\n")}) {
    ImportLoad load = import_text(text);
    EXPECT_TRUE(load.draft || !load.diagnostics.empty());
  }
}

// ---------------------------------------------------------------------------
// Round trip: written, filled in, parsed, planned — against the oracle.

std::string filled_in(std::string toml) {
  toml = std::regex_replace(toml, std::regex("# TODO: title = [^\n]*"), "title = \"Sarja\"");
  toml = std::regex_replace(toml, std::regex("# TODO: organiser = [^\n]*"),
                            "organiser = { name = \"Järjestäjä\", email = \"webinaarit@example.org\" }");
  toml = std::regex_replace(toml, std::regex("# TODO: join_url = [^\n]*"), "join_url = \"https://example.org/join\"");
  return toml;
}

struct Planned {
  std::vector<std::string> starts;
  std::vector<std::string> cancelled;
};

Planned plan(const std::string& toml) {
  agenda::SeriesOptions options{agenda::PlanUntil{date::local_days{date::year{2027} / 12 / 31}}};
  agenda::SeriesLoad load = agenda::parse_series(toml, "/nonexistent/sarja.toml", std::nullopt, options);
  Planned planned;
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string() << "\n" << toml;
  if (!load.series) return planned;
  for (const agenda::Session& s : load.series->sessions) {
    const date::sys_seconds instant = load.series->zone->to_sys(s.start.local, date::choose::earliest);
    (s.cancelled ? planned.cancelled : planned.starts).push_back(date::format("%FT%TZ", instant));
  }
  std::sort(planned.starts.begin(), planned.starts.end());
  std::sort(planned.cancelled.begin(), planned.cancelled.end());
  return planned;
}

Planned oracle(const std::string& name, const std::string& zone) {
  kutsu::testing::ChildProcess::Options options;
  options.argv = {"/usr/bin/python3", std::string(KUTSU_SOURCE_DIR) + "/tests/importer/ics_oracle.py", kData + name,
                  zone, "2027-12-31"};
  kutsu::testing::RunResult result = kutsu::testing::run(std::move(options), std::chrono::minutes(2));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Planned planned;
  if (result.exit_code != 0) return planned;
  const json::object out = json::parse(result.out).as_object();
  for (const auto& v : out.at("starts").as_array()) planned.starts.emplace_back(v.as_string());
  for (const auto& v : out.at("cancelled").as_array()) planned.cancelled.emplace_back(v.as_string());
  return planned;
}

class IcsRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(IcsRoundTrip, SeriesPlansWhatTheCalendarSays) {
  ImportOptions options;
  options.id = "sarja";
  ImportLoad load = import_data(GetParam(), options);
  ASSERT_TRUE(load.draft);
  const std::string toml = filled_in(write_series_toml(*load.draft));
  const Planned ours = plan(toml);
  const Planned theirs = oracle(GetParam(), load.draft->timezone);
  EXPECT_FALSE(theirs.starts.empty());
  EXPECT_EQ(ours.starts, theirs.starts) << toml;
  EXPECT_EQ(ours.cancelled, theirs.cancelled) << toml;
}

// A line libical reads by its own error recovery ("DESCRIPTION;" and no
// colon) may still lose half a character to an escape: the text is
// repaired with U+FFFD rather than written as bytes no TOML can hold.
TEST(IcsImport, TextLibicalSplitsIsRepairedAndTheSeriesStillParses) {
  ImportOptions import_options;
  import_options.id = "sarja";
  ImportLoad load = import_text(calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260415T150000Z\nSUMMARY:Ilta\n"
                                         "DESCRIPTION;\\ämä tilaisuus on peruttu.\nEND:VEVENT\n"),
                                import_options);
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(load.draft);
  ASSERT_EQ(load.draft->sessions.size(), 1u);
  EXPECT_EQ(load.draft->sessions[0].description, " \xEF\xBF\xBDmä tilaisuus on peruttu.");
  const std::string toml = filled_in(write_series_toml(*load.draft));
  agenda::SeriesOptions options{agenda::PlanUntil{date::local_days{date::year{2027} / 12 / 31}}};
  agenda::SeriesLoad series = agenda::parse_series(toml, "/nonexistent/sarja.toml", std::nullopt, options);
  for (const Diagnostic& d : series.diagnostics) ADD_FAILURE() << d.to_string() << "\n" << toml;
  ASSERT_TRUE(series.series);
}

INSTANTIATE_TEST_SUITE_P(Exports, IcsRoundTrip,
                         ::testing::Values("outlook_fle.ics", "google_helsinki.ics", "windows_zones.ics"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

// libical reads a backslash that escapes nothing as a space over the next
// byte ("\ä" became half a UTF-8 character, which no TOML can hold). The
// texts are read as Python's icalendar reads them, and the written series
// gives them back.
json::object text_oracle(const std::string& name) {
  kutsu::testing::ChildProcess::Options options;
  options.argv = {"/usr/bin/python3", std::string(KUTSU_SOURCE_DIR) + "/tests/importer/ics_text_oracle.py",
                  kData + name};
  kutsu::testing::RunResult result = kutsu::testing::run(std::move(options), std::chrono::minutes(2));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return {};
  return json::parse(result.out).as_object();
}

TEST(IcsImport, BackslashesAreReadAsPythonsIcalendarReadsThem) {
  ImportOptions import_options;
  import_options.id = "sarja";
  ImportLoad load = import_data("backslashes.ics", import_options);
  ASSERT_TRUE(load.draft);
  const json::object theirs = text_oracle("backslashes.ics");
  ASSERT_FALSE(theirs.empty());
  EXPECT_EQ(load.draft->title, theirs.at("calendar").as_string());
  const json::array& events = theirs.at("events").as_array();
  ASSERT_EQ(load.draft->sessions.size(), events.size());

  agenda::SeriesOptions options{agenda::PlanUntil{date::local_days{date::year{2027} / 12 / 31}}};
  const std::string toml = filled_in(write_series_toml(*load.draft));
  agenda::SeriesLoad series = agenda::parse_series(toml, "/nonexistent/sarja.toml", std::nullopt, options);
  for (const Diagnostic& d : series.diagnostics) ADD_FAILURE() << d.to_string() << "\n" << toml;
  ASSERT_TRUE(series.series);
  ASSERT_EQ(series.series->sessions.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json::object& event = events[i].as_object();
    const DraftSession& drafted = load.draft->sessions[i];
    EXPECT_EQ(drafted.title, event.at("summary").as_string());
    EXPECT_EQ(drafted.description, event.at("description").as_string());
    EXPECT_EQ(drafted.location, event.at("location").as_string());
    const agenda::Session& planned = series.series->sessions[i];
    EXPECT_EQ(planned.title, drafted.title);
    EXPECT_EQ(planned.description, drafted.description);
    EXPECT_EQ(planned.location, drafted.location);
  }
}

}  // namespace
}  // namespace kutsu::importer
