// The subscribable feed, as Python's icalendar reads it: every session with
// the UID and SEQUENCE the e-mails carry, cancelled ones kept as CANCELLED.
#include "notifier/series_feed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

namespace json = boost::json;
using testing::seed_series;

constexpr date::sys_seconds kStamp = date::sys_days{date::year{2022} / 1 / 20};

int sequence_of(std::string_view session_id) { return session_id == "hoitoketjut" ? 2 : 0; }

TEST(SeriesFeed, PublishesEverySessionWithTheUidsAndSequencesOfTheEmails) {
  agenda::Series series = seed_series();
  series.sessions[1].cancelled = true;
  series.participants[0].join_url = "https://meet.example.org/personal-aino";
  Result<std::string> feed = series_feed(series, TemplateSource{}, sequence_of, kStamp);
  ASSERT_TRUE(feed.ok()) << feed.error().message;

  const json::value calendar = kutsu::testing::inspect_calendar(*feed);
  EXPECT_EQ(calendar.at("method"), "PUBLISH");
  EXPECT_EQ(calendar.at("timezones"), json::array({"Europe/Helsinki"}));
  const json::array& events = calendar.at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("uid"), "verkosto.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[0].at("sequence"), 0);
  EXPECT_EQ(events[0].at("status"), "CONFIRMED");
  EXPECT_EQ(events[0].at("dtstart"), "20220202T180000");
  EXPECT_EQ(events[0].at("dtstart_tzid"), "Europe/Helsinki");
  EXPECT_EQ(events[1].at("uid"), "hoitoketjut.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[1].at("sequence"), 2);
  EXPECT_EQ(events[1].at("status"), "CANCELLED");
  EXPECT_EQ(events[2].at("uid"), "sanoista-teoiksi.aluevaltuutetut-2022@kutsu.invalid");
  for (const json::value& event : events) {
    EXPECT_TRUE(event.at("attendees").as_array().empty());
    EXPECT_EQ(event.at("organizer").at("address"), "mailto:webinaarit@example.org");
  }
  // Not addressed to anyone: a participant's personal link never appears.
  EXPECT_EQ(feed->find("personal-aino"), std::string::npos);
  EXPECT_NE(feed->find(*series.join_url), std::string::npos);
}

TEST(SeriesFeed, IsTheSameBytesForTheSameInputs) {
  const agenda::Series series = seed_series();
  EXPECT_EQ(series_feed(series, TemplateSource{}, sequence_of, kStamp).value(),
            series_feed(series, TemplateSource{}, sequence_of, kStamp).value());
}

// The public calendar gathers series from different zones and organisers:
// each event keeps its own zone (one VTIMEZONE each) and organiser, and no
// join link reaches anyone who reads it, in no field.
TEST(PublicFeed, GathersSeriesInTheirOwnZonesWithoutJoinLinks) {
  agenda::Series helsinki = seed_series();
  helsinki.sessions[0].join_url = "https://example.org/zoom/session-link";
  agenda::Series stockholm = seed_series();
  stockholm.id = "stockholm";
  stockholm.title = "Stockholmsserien";
  stockholm.timezone = "Europe/Stockholm";
  stockholm.zone = date::locate_zone("Europe/Stockholm");
  stockholm.organiser = agenda::Organiser{"Elin", "elin@example.se"};
  stockholm.calendar_alarm = agenda::Duration(0, std::chrono::minutes(15));
  stockholm.sessions.resize(1);
  Result<std::string> feed = public_feed({FeedSeries{&helsinki, sequence_of}, FeedSeries{&stockholm, sequence_of}},
                                         TemplateSource{}, "Julkiset tapahtumat", kStamp);
  ASSERT_TRUE(feed.ok()) << feed.error().message;

  const json::value calendar = kutsu::testing::inspect_calendar(*feed);
  const json::array& zones = calendar.at("timezones").as_array();
  EXPECT_EQ(zones.size(), 2u);
  for (const char* zone : {"Europe/Helsinki", "Europe/Stockholm"}) {
    EXPECT_NE(std::find(zones.begin(), zones.end(), json::value(zone)), zones.end()) << zone;
  }
  const json::array& events = calendar.at("events").as_array();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].at("uid"), "verkosto.stockholm@kutsu.invalid");
  EXPECT_EQ(events[3].at("dtstart"), "20220202T180000");
  EXPECT_EQ(events[3].at("dtstart_tzid"), "Europe/Stockholm");
  EXPECT_EQ(events[3].at("organizer").at("address"), "mailto:elin@example.se");
  EXPECT_EQ(events[0].at("organizer").at("address"), "mailto:webinaarit@example.org");
  EXPECT_EQ(feed->find("https://example.org/zoom"), std::string::npos) << *feed;
  EXPECT_EQ(feed->find("URL:"), std::string::npos);
  EXPECT_NE(feed->find("NAME:Julkiset tapahtumat"), std::string::npos);
  EXPECT_NE(feed->find("TRIGGER:-PT15M"), std::string::npos) << "the Stockholm series' alarm";
  EXPECT_EQ(public_feed({}, TemplateSource{}, "x", kStamp).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace kutsu::notifier
