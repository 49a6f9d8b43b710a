// Every zone the series check accepts renders: each name in the system's tz
// database (as date lists it) goes through the parser and the planner, and
// each one they accept becomes an invitation whose DTSTARTs an independent
// reader (Python's icalendar and pytz, zone_oracle.py) turns into the
// instants Kutsu planned, both through the VTIMEZONE and by the zone's name.
// A handful of zones are also checked against instants written out by hand,
// in invitations and in the subscribable feed.
#include <gtest/gtest.h>

#include <date/tz.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "agenda/series_parser.h"
#include "model/time_format.h"
#include "notifier/ical_builder.h"
#include "notifier/renderer.h"
#include "notifier/series_feed.h"
#include "scheduler/planner.h"
#include "tests/fixtures/child_process.h"
#include "tests/fixtures/temp_dir.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

namespace json = boost::json;

constexpr std::string_view kParticipants = "email,name\naino.virtanen@example.org,Aino Virtanen\n";

// Winter and summer sessions, so that a zone's standard and daylight offsets
// are both read; one invitation for both.
std::string series_text(std::string_view zone) {
  return "id = \"vyohykkeet\"\ntitle = \"Vyöhykkeet\"\ntimezone = \"" + std::string(zone) +
         "\"\norganiser = { name = \"Liisa\", email = \"webinaarit@example.org\" }\n"
         "participants = \"osallistujat.csv\"\n"
         "[invitation]\nsend_at = 2025-12-01T09:00:00\n"
         "[[session]]\nid = \"talvi\"\ntitle = \"Talvi\"\nstart = 2026-01-15T18:00:00\n"
         "duration = \"PT1H30M\"\n"
         "[[session]]\nid = \"kesa\"\ntitle = \"Kesä\"\nstart = 2026-07-15T18:00:00\n"
         "duration = \"PT1H30M\"\n";
}

// One zone name through `kutsu check`'s two steps, and its invitation.
struct CheckedZone {
  std::string name;
  std::vector<std::string> errors;         // empty: the check accepted the zone
  std::unique_ptr<agenda::Series> series;  // set when accepted; the plan points into it
  std::vector<std::string> starts_utc;     // each session's planned start, "…Z"
  std::optional<model::Notification> invitation;
};

CheckedZone check_zone(std::string name) {
  CheckedZone out;
  out.name = std::move(name);
  agenda::SeriesLoad load =
      agenda::parse_series(series_text(out.name), "vyohykkeet.toml", kParticipants);
  for (const Diagnostic& d : load.diagnostics) out.errors.push_back(d.to_string());
  if (!load.series) return out;
  out.series = std::make_unique<agenda::Series>(std::move(*load.series));
  scheduler::Plan plan = scheduler::plan_series(*out.series);
  for (const Diagnostic& d : plan.diagnostics) out.errors.push_back(d.to_string());
  for (const model::SessionTimes& times : plan.times.sessions) {
    out.starts_utc.push_back(model::format_utc(times.start));
  }
  for (const model::Notification& n : plan.notifications) {
    if (n.kind == model::NotificationKind::invitation) out.invitation = n;
  }
  return out;
}

// zone_oracle.py over every file in `dir`: {file name: {timezones, events}},
// and "offsets" of each wall-clock time in `at`.
json::object run_oracle(const std::filesystem::path& dir, const std::vector<std::string>& at = {}) {
  kutsu::testing::ChildProcess::Options options;
  options.argv = {KUTSU_PYTHON, std::string{KUTSU_SOURCE_DIR} + "/tests/notifier/zone_oracle.py",
                  dir.string()};
  for (const std::string& local : at) {
    options.argv.push_back("--at");
    options.argv.push_back(local);
  }
  kutsu::testing::RunResult result =
      kutsu::testing::run(std::move(options), std::chrono::minutes(5));
  if (result.exit_code != 0) {
    ADD_FAILURE() << "zone_oracle.py failed (" << result.exit_code << "): " << result.err;
    return {};
  }
  return json::parse(result.out).as_object();
}

// What is wrong with one calendar as the oracle read it; empty when its only
// zone is `zone` and every DTSTART names `starts_utc` both ways.
std::vector<std::string> problems(const json::value* read, const std::string& zone,
                                  const std::vector<std::string>& starts_utc) {
  if (read == nullptr) return {zone + ": the oracle did not read the calendar"};
  if (const json::value* error = read->as_object().if_contains("error")) {
    return {zone + ": " + std::string(error->as_string())};
  }
  std::vector<std::string> out;
  if (read->at("timezones") != json::array{json::string{zone}}) {
    out.push_back(zone + ": VTIMEZONEs " + json::serialize(read->at("timezones")));
  }
  const json::array& events = read->at("events").as_array();
  if (events.size() != starts_utc.size()) {
    out.push_back(zone + ": " + std::to_string(events.size()) + " events");
    return out;
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json::value& event = events[i];
    json::value expected = json::string{starts_utc[i]};
    if (event.at("tzid") != json::string{zone} || event.at("by_vtimezone") != expected ||
        event.at("by_name") != expected) {
      out.push_back(zone + ": expected " + starts_utc[i] + ", read " + json::serialize(event));
    }
  }
  return out;
}

TEST(RenderZones, EveryZoneTheCheckAcceptsRendersAnInvitationWithItsPlannedInstants) {
  Renderer renderer{TemplateSource{}};
  kutsu::testing::TempDir dir("kutsu-zones-");
  std::vector<CheckedZone> accepted;
  std::set<std::string> refused;
  std::vector<std::string> failures;
  for (const date::time_zone& zone : date::get_tzdb().zones) {
    CheckedZone checked = check_zone(zone.name());
    if (!checked.series) {
      refused.insert(checked.name);
      for (const std::string& error : checked.errors) {
        // Refused for its name, and nothing else: the rest of the file is valid.
        if (error.rfind("vyohykkeet.toml:3:12: error: ", 0) != 0) failures.push_back(error);
      }
      continue;
    }
    if (!checked.errors.empty() || !checked.invitation) {
      failures.push_back(checked.name + " passes the parser but not the planner: " +
                         (checked.errors.empty() ? "no invitation" : checked.errors.front()));
      continue;
    }
    Result<EmailMessage> message =
        renderer.render_email(*checked.invitation, testing::render_context());
    if (!message) {
      failures.push_back(checked.name + ": " + message.error().message);
      continue;
    }
    dir.write(std::to_string(accepted.size()) + ".eml", message->bytes);
    accepted.push_back(std::move(checked));
  }
  ASSERT_EQ(failures, std::vector<std::string>{});

  // Only names that are no IANA zone may be refused: Debian's "localtime"
  // is a link to /etc/localtime, the host's own setting.
  for (const std::string& name : refused) EXPECT_EQ(name, "localtime");
  EXPECT_EQ(accepted.size() + refused.size(), date::get_tzdb().zones.size());
  ASSERT_GT(accepted.size(), 400u) << "the tz database looks incomplete";

  const json::object read = run_oracle(dir.path());
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    for (std::string& problem : problems(read.if_contains(std::to_string(i) + ".eml"),
                                         accepted[i].name, accepted[i].starts_utc)) {
      failures.push_back(std::move(problem));
    }
  }
  if (failures.size() > 20) failures.resize(20);  // enough to see the pattern
  EXPECT_EQ(failures, std::vector<std::string>{});
  RecordProperty("zones_rendered", static_cast<int>(accepted.size()));
  std::cout << "[ zones    ] " << accepted.size() << " rendered, " << refused.size()
            << " refused by the check\n";
}

struct KnownZone {
  const char* name;
  const char* winter_utc;  // 2026-01-15T18:00 there
  const char* summer_utc;  // 2026-07-15T18:00 there
};

// Fixed offsets, a half-hour and a 30-minute-DST zone, the southern
// hemisphere, and a backward link; the instants worked out by hand.
constexpr KnownZone kKnownZones[] = {
    {"UTC", "2026-01-15T18:00:00Z", "2026-07-15T18:00:00Z"},
    {"GMT", "2026-01-15T18:00:00Z", "2026-07-15T18:00:00Z"},
    {"Etc/GMT-2", "2026-01-15T16:00:00Z", "2026-07-15T16:00:00Z"},  // POSIX sign: UTC+2
    {"Europe/Helsinki", "2026-01-15T16:00:00Z", "2026-07-15T15:00:00Z"},
    {"America/St_Johns", "2026-01-15T21:30:00Z", "2026-07-15T20:30:00Z"},
    {"Asia/Kolkata", "2026-01-15T12:30:00Z", "2026-07-15T12:30:00Z"},
    {"Australia/Lord_Howe", "2026-01-15T07:00:00Z", "2026-07-15T07:30:00Z"},
    {"US/Eastern", "2026-01-15T23:00:00Z", "2026-07-15T22:00:00Z"},
};

TEST(RenderZones, KnownZonesGiveTheInstantsWorkedOutByHandInInvitationsAndTheFeed) {
  Renderer renderer{TemplateSource{}};
  kutsu::testing::TempDir dir("kutsu-zones-");
  std::vector<CheckedZone> checked;
  for (std::size_t i = 0; i < std::size(kKnownZones); ++i) {
    checked.push_back(check_zone(kKnownZones[i].name));
    const CheckedZone& zone = checked.back();
    ASSERT_EQ(zone.errors, std::vector<std::string>{}) << zone.name;
    ASSERT_TRUE(zone.invitation) << zone.name;
    EXPECT_EQ(zone.starts_utc,
              (std::vector<std::string>{kKnownZones[i].winter_utc, kKnownZones[i].summer_utc}))
        << zone.name;
    Result<EmailMessage> message =
        renderer.render_email(*zone.invitation, testing::render_context());
    ASSERT_TRUE(message.ok()) << zone.name << ": " << message.error().message;
    dir.write(std::to_string(i) + ".eml", message->bytes);
    // GET /series/{id}.ics: the daemon answers with series_feed.
    Result<std::string> feed = series_feed(
        *zone.series, TemplateSource{}, [](std::string_view) { return 0; },
        testing::utc(2026, 1, 1, 12, 0));
    ASSERT_TRUE(feed.ok()) << zone.name << ": " << feed.error().message;
    dir.write(std::to_string(i) + ".ics", *feed);
  }
  const json::object read = run_oracle(dir.path());
  for (std::size_t i = 0; i < std::size(kKnownZones); ++i) {
    const std::vector<std::string> expected{kKnownZones[i].winter_utc, kKnownZones[i].summer_utc};
    for (const char* kind : {".eml", ".ics"}) {
      EXPECT_EQ(problems(read.if_contains(std::to_string(i) + kind), kKnownZones[i].name, expected),
                std::vector<std::string>{})
          << kind;
    }
  }
}

TEST(RenderZones, AZoneOutsideTheTzDatabaseIsStillRefused) {
  CalendarRequest request;
  request.timezone = "Mars/Olympus_Mons";
  request.organiser = {"", "webinaarit@example.org"};
  request.attendee = CalendarPerson{"", "aino.virtanen@example.org"};
  request.events.push_back(CalendarEvent{});
  request.events[0].start = testing::local(2026, 1, 15, 18, 0).local;
  request.events[0].end = testing::local(2026, 1, 15, 19, 0).local;
  Result<std::string> calendar = build_calendar(request);
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.error().message, "time zone 'Mars/Olympus_Mons' is not known to libical");
  request.timezone = "../../../etc/passwd";  // never read as a zone file
  EXPECT_FALSE(build_calendar(request).ok());
}

TEST(RenderZones, ASessionOutsideTheSupportedYearsFailsInsteadOfWritingZeros) {
  CalendarRequest request;
  request.timezone = "UTC";
  request.organiser = {"", "webinaarit@example.org"};
  request.attendee = CalendarPerson{"", "aino.virtanen@example.org"};
  request.events.push_back(CalendarEvent{});
  request.events[0].start = testing::local(3001, 2, 2, 18, 0).local;
  request.events[0].end = testing::local(3001, 2, 2, 19, 0).local;
  Result<std::string> calendar = build_calendar(request);
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.error().message,
            "a session is outside the years Kutsu supports, 1970–2037 (time-zone rules are "
            "known only for those)");
}

// A client places every date it is asked about with the calendar's
// VTIMEZONE: the events, and also a week view, a later update or a moved
// session. A spring series (the seed's, whose last session is 26.3.2022)
// must still give winter time in November and summer time in the years
// after, as Helsinki's rules do.
TEST(RenderZones, TheVtimezoneIsRightForDatesBeforeBetweenAndAfterTheSessions) {
  const agenda::Series series = testing::seed_series();
  const agenda::Participant& aino = testing::participant(series, "aino.virtanen@example.org");
  Renderer renderer{TemplateSource{}};
  kutsu::testing::TempDir dir("kutsu-zones-");
  for (const auto& [name, notification] :
       {std::pair{"invitation.eml", testing::invitation(series, aino)},
        std::pair{"update.eml",
                  testing::update(series, testing::session(series, "verkosto"), aino)}}) {
    Result<EmailMessage> message = renderer.render_email(notification, testing::render_context(1));
    ASSERT_TRUE(message.ok()) << message.error().message;
    EXPECT_EQ(message->bytes.find("TZUNTIL"), std::string::npos);
    dir.write(name, message->bytes);
  }
  Result<std::string> feed = series_feed(
      series, TemplateSource{}, [](std::string_view) { return 0; }, testing::utc(2022, 1, 20, 0, 0));
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  EXPECT_EQ(feed->find("TZUNTIL"), std::string::npos);
  dir.write("feed.ics", *feed);

  const std::vector<std::pair<std::string, std::string>> expected{
      {"2021-12-15T12:00:00", "+02:00"},  // before the first session
      {"2022-03-27T12:00:00", "+03:00"},  // the day after the last one, past the change
      {"2022-07-01T12:00:00", "+03:00"},
      {"2022-11-15T12:00:00", "+02:00"},  // ical.js read +03:00 here
      {"2023-07-01T12:00:00", "+03:00"},
      {"2024-01-15T12:00:00", "+02:00"},
      {"2030-10-27T12:00:00", "+02:00"},
  };
  std::vector<std::string> at;
  for (const auto& [local, offset] : expected) at.push_back(local);
  const json::object read = run_oracle(dir.path(), at);
  for (const char* name : {"invitation.eml", "update.eml", "feed.ics"}) {
    const json::value* file = read.if_contains(name);
    ASSERT_NE(file, nullptr) << name;
    ASSERT_FALSE(file->as_object().contains("error")) << name << ": " << *file;
    for (const auto& [local, offset] : expected) {
      EXPECT_EQ(file->at("offsets").at(local), json::string{offset}) << name << " at " << local;
    }
  }
}

}  // namespace
}  // namespace kutsu::notifier
