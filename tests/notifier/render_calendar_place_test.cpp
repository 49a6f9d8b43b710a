// Where and when a calendar puts a session, as Python's icalendar reads the
// e-mail and the feed: an address is the LOCATION, a join link the URL and a
// line of the DESCRIPTION (and the LOCATION only when there is no address),
// and `calendar_alarm` a VALARM in every event that still takes place.
#include <gtest/gtest.h>

#include <string>

#include "notifier/renderer.h"
#include "notifier/series_feed.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

namespace json = boost::json;
using kutsu::testing::inspect_calendar;
using kutsu::testing::inspect_email;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

constexpr char kAddress[] = "Raahen kaupungintalo, Rantakatu 50, 92100 Raahe";
constexpr char kSeriesLink[] = "https://example.org/zoom/aluevaltuutetut-2022";

class CalendarPlace : public ::testing::Test {
 protected:
  // The first calendar of the e-mail for `notification`.
  json::object calendar(const model::Notification& notification) {
    Result<EmailMessage> message = renderer_.render_email(notification, render_context(1));
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    json::value mail = inspect_email(message->bytes);
    const json::array& calendars = mail.at("calendars").as_array();
    if (calendars.empty()) {
      ADD_FAILURE() << "no calendar part";
      return {};
    }
    return calendars[0].as_object();
  }
  json::object event(const model::Notification& notification, std::size_t index = 0) {
    json::object read = calendar(notification);
    if (read.empty() || read.at("events").as_array().size() <= index) {
      ADD_FAILURE() << "no event " << index;
      return {};
    }
    return read.at("events").as_array()[index].as_object();
  }
  json::object feed_calendar() {
    Result<std::string> feed = series_feed(
        series_, TemplateSource{}, [](std::string_view) { return 0; }, testing::utc(2022, 1, 20, 0, 0));
    if (!feed) {
      ADD_FAILURE() << feed.error().message;
      return {};
    }
    return inspect_calendar(*feed).as_object();
  }
  // The update of the first session, the one REQUEST every change sends.
  model::Notification update() {
    return testing::update(series_, session(series_, "verkosto"), aino_);
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
  const agenda::Participant& aino_ = participant(series_, "aino.virtanen@example.org");
};

TEST_F(CalendarPlace, AnInPersonSessionsAddressIsTheLocationAndThereIsNoLink) {
  series_.join_url.reset();
  series_.sessions[0].location = kAddress;
  json::object read = event(update());
  EXPECT_EQ(read.at("location"), kAddress);
  EXPECT_TRUE(read.at("url").is_null());
  EXPECT_EQ(std::string(read.at("description").as_string()).find("https://"), std::string::npos);
}

TEST_F(CalendarPlace, AHybridSessionKeepsItsAddressAndItsLinkIsTheUrlAndInTheDescription) {
  series_.sessions[0].location = kAddress;
  json::object read = event(update());
  EXPECT_EQ(read.at("location"), kAddress);
  EXPECT_EQ(read.at("url"), kSeriesLink);
  EXPECT_NE(std::string(read.at("description").as_string())
                .find(std::string{"Liity tästä: "} + kSeriesLink),
            std::string::npos)
      << read.at("description");
}

TEST_F(CalendarPlace, AnOnlineSessionWithoutALocationHasItsLinkAsTheLocation) {
  series_.sessions[0].location.clear();
  json::object read = event(update());
  EXPECT_EQ(read.at("location"), kSeriesLink);
  EXPECT_EQ(read.at("url"), kSeriesLink);
}

TEST_F(CalendarPlace, APersonalLinkIsTheUrlAndInTheDescriptionBesideTheWrittenLocation) {
  const agenda::Participant& matti = participant(series_, "matti.virtanen@example.org");
  json::object read = event(testing::invitation(series_, matti));
  EXPECT_EQ(read.at("location"), "Zoom");
  EXPECT_EQ(read.at("url"), "https://example.org/zoom/personal/matti");
  EXPECT_NE(std::string(read.at("description").as_string())
                .find("Liity tästä: https://example.org/zoom/personal/matti"),
            std::string::npos);
}

TEST_F(CalendarPlace, TheFeedPutsTheAddressInTheLocationToo) {
  series_.join_url.reset();
  series_.sessions[1].location = kAddress;
  json::object read = feed_calendar();
  const json::array& events = read.at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].at("location"), kAddress);
  EXPECT_TRUE(events[1].at("url").is_null());
}

TEST_F(CalendarPlace, NoAlarmUnlessTheSeriesAsksForOne) {
  EXPECT_TRUE(event(update()).at("alarms").as_array().empty());
  const json::object feed = feed_calendar();
  for (const json::value& each : feed.at("events").as_array()) {
    EXPECT_TRUE(each.at("alarms").as_array().empty());
  }
}

TEST_F(CalendarPlace, CalendarAlarmIsADisplayAlarmBeforeEachSessionInInvitationsUpdatesAndFeed) {
  series_.calendar_alarm = agenda::Duration::parse("PT15M").value();
  series_.sessions[1].cancelled = true;
  auto expect_alarm = [](const json::value& read) {
    const json::array& alarms = read.at("alarms").as_array();
    ASSERT_EQ(alarms.size(), 1u) << read;
    EXPECT_EQ(alarms[0].at("action"), "DISPLAY");
    EXPECT_EQ(alarms[0].at("trigger"), "-PT15M");
    EXPECT_EQ(alarms[0].at("trigger_seconds"), -15 * 60);
    EXPECT_EQ(alarms[0].at("description"), read.at("summary"));
  };
  expect_alarm(event(update()));
  json::object invitation = calendar(testing::invitation(series_, aino_));
  ASSERT_EQ(invitation.at("events").as_array().size(), 2u);  // the cancelled one is left out
  for (const json::value& each : invitation.at("events").as_array()) expect_alarm(each);

  const json::array feed = feed_calendar().at("events").as_array();
  ASSERT_EQ(feed.size(), 3u);
  expect_alarm(feed[0]);
  EXPECT_TRUE(feed[1].at("alarms").as_array().empty());  // cancelled: nothing to remind of
  expect_alarm(feed[2]);
}

TEST_F(CalendarPlace, ACancellationCarriesNoAlarm) {
  series_.calendar_alarm = agenda::Duration::parse("PT15M").value();
  series_.sessions[0].cancelled = true;
  json::object read =
      event(testing::cancellation(series_, session(series_, "verkosto"), aino_));
  EXPECT_EQ(read.at("status"), "CANCELLED");
  EXPECT_TRUE(read.at("alarms").as_array().empty());
}

TEST_F(CalendarPlace, ADayBeforeAlarmStaysANominalDay) {
  series_.calendar_alarm = agenda::Duration::parse("P1DT30M").value();
  const json::array alarms = event(update()).at("alarms").as_array();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].at("trigger"), "-P1DT30M");
}

TEST_F(CalendarPlace, TheFeedIsNamedAfterTheSeriesAndAsksToBeFetchedHourly) {
  json::object read = feed_calendar();
  EXPECT_EQ(read.at("name"), "Uusien aluevaltuutettujen webinaarisarja");
  EXPECT_EQ(read.at("x_wr_calname"), "Uusien aluevaltuutettujen webinaarisarja");
  EXPECT_EQ(read.at("refresh_interval"), (json::object{{"value", "PT1H"}, {"value_type", "DURATION"}}));
  EXPECT_EQ(read.at("published_ttl"), "PT1H");
}

TEST_F(CalendarPlace, AnEmailCalendarIsNotAFeedAndHasNoNameOrRefresh) {
  json::object read = calendar(testing::invitation(series_, aino_));
  EXPECT_TRUE(read.at("name").is_null());
  EXPECT_TRUE(read.at("x_wr_calname").is_null());
  EXPECT_TRUE(read.at("refresh_interval").is_null());
}

}  // namespace
}  // namespace kutsu::notifier
