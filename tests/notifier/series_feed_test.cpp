// The subscribable feed, as Python's icalendar reads it: every session with
// the UID and SEQUENCE the e-mails carry, cancelled ones kept as CANCELLED.
#include "notifier/series_feed.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kutsu::notifier
