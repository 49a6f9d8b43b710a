// The calendar parts, as Python's `icalendar` reads them out of the e-mail,
// and build_calendar's own output rules.
#include "notifier/ical_builder.h"

#include <gtest/gtest.h>

#include <string>

#include "notifier/renderer.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::find_part;
using kutsu::testing::inspect_email;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

namespace json = boost::json;

class RenderCalendar : public ::testing::Test {
 protected:
  // The calendars of the rendered message: [0] inline, [1] the attachment.
  json::array calendars(const model::Notification& notification,
                        const RenderContext& context = render_context()) {
    Result<EmailMessage> message = renderer_.render_email(notification, context);
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    json::value mail = inspect_email(message->bytes);
    json::array out = mail.at("calendars").as_array();
    if (out.size() == 2) {
      EXPECT_EQ(out[0].at("events"), out[1].at("events"));
    }
    return out;
  }
  json::object first_event(const model::Notification& notification,
                           const RenderContext& context = render_context()) {
    json::array all = calendars(notification, context);
    if (all.empty() || all[0].at("events").as_array().empty()) {
      ADD_FAILURE() << "no event";
      return {};
    }
    return all[0].at("events").as_array()[0].as_object();
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
  const agenda::Participant& aino_ = participant(series_, "aino.virtanen@example.org");
};

TEST_F(RenderCalendar, SeriesInvitationPublishesEverySessionWithoutAttendees) {
  json::array all = calendars(testing::invitation(series_, aino_));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].at("content_type"), "text/calendar");
  EXPECT_EQ(all[1].at("content_type"), "application/ics");
  EXPECT_EQ(all[0].at("method"), "PUBLISH");
  EXPECT_EQ(all[0].at("version"), "2.0");
  EXPECT_EQ(all[0].at("timezones"), json::array({"Europe/Helsinki"}));
  const json::array& events = all[0].at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("uid"), "verkosto.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[1].at("uid"), "hoitoketjut.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[2].at("uid"), "sanoista-teoiksi.aluevaltuutetut-2022@kutsu.invalid");
  for (const json::value& event : events) {
    EXPECT_TRUE(event.at("attendees").as_array().empty());  // RFC 5546 3.2.1
    EXPECT_EQ(event.at("organizer").at("address"), "mailto:webinaarit@example.org");
    EXPECT_EQ(event.at("organizer").at("cn"), "Liisa Esimerkki");
    EXPECT_EQ(event.at("status"), "CONFIRMED");
    EXPECT_EQ(event.at("sequence"), 0);
  }
}

TEST_F(RenderCalendar, SingleSessionInvitationIsARequestToTheRecipient) {
  series_.sessions.resize(1);
  json::array all = calendars(testing::invitation(series_, aino_));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].at("method"), "REQUEST");
  const json::array& events = all[0].at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  const json::array& attendees = events[0].at("attendees").as_array();
  ASSERT_EQ(attendees.size(), 1u);
  EXPECT_EQ(attendees[0].at("address"), "mailto:aino.virtanen@example.org");
  EXPECT_EQ(attendees[0].at("cn"), "Aino Virtanen");
  EXPECT_EQ(attendees[0].at("role"), "REQ-PARTICIPANT");
  EXPECT_EQ(attendees[0].at("partstat"), "NEEDS-ACTION");
  EXPECT_EQ(attendees[0].at("rsvp"), "FALSE");
}

TEST_F(RenderCalendar, InvitationLeavesCancelledSessionsOut) {
  series_.sessions[1].cancelled = true;
  json::array all = calendars(testing::invitation(series_, aino_));
  ASSERT_FALSE(all.empty());
  const json::array& events = all[0].at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("uid"), "verkosto.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[1].at("uid"), "sanoista-teoiksi.aluevaltuutetut-2022@kutsu.invalid");
}

TEST_F(RenderCalendar, TimesCarryTheSeriesZone) {
  json::array all = calendars(testing::invitation(series_, aino_));
  ASSERT_FALSE(all.empty());
  const json::array& events = all[0].at("events").as_array();
  EXPECT_EQ(events[0].at("dtstart"), "20220202T180000");
  EXPECT_EQ(events[0].at("dtstart_tzid"), "Europe/Helsinki");
  EXPECT_EQ(events[0].at("dtstart_iso"), "2022-02-02T18:00:00+02:00");
  EXPECT_EQ(events[0].at("dtend"), "20220202T193000");
  EXPECT_EQ(events[0].at("dtend_tzid"), "Europe/Helsinki");
  // The seminar is the day before the spring change: still +02:00.
  EXPECT_EQ(events[2].at("dtstart_iso"), "2022-03-26T10:00:00+02:00");
  EXPECT_EQ(events[2].at("dtend_iso"), "2022-03-26T15:00:00+02:00");
  EXPECT_EQ(events[0].at("dtstamp"), "20220119T070000Z");
}

TEST_F(RenderCalendar, SummerSessionGetsSummerOffset) {
  series_.sessions[0].start = testing::local(2022, 6, 1, 18, 0);
  series_.sessions[0].end = testing::local(2022, 6, 1, 19, 30);
  json::object event = first_event(testing::update(series_, session(series_, "verkosto"), aino_));
  EXPECT_EQ(event.at("dtstart"), "20220601T180000");
  EXPECT_EQ(event.at("dtstart_tzid"), "Europe/Helsinki");
  EXPECT_EQ(event.at("dtstart_iso"), "2022-06-01T18:00:00+03:00");
}

TEST_F(RenderCalendar, UidSurvivesRerendersAndMoves) {
  const auto notification = testing::update(series_, session(series_, "verkosto"), aino_);
  RenderContext later = render_context();
  later.now = testing::utc(2022, 1, 25, 12, 0);
  json::object first = first_event(notification);
  json::object again = first_event(notification, later);
  EXPECT_EQ(first.at("uid"), again.at("uid"));
  EXPECT_EQ(again.at("dtstamp"), "20220125T120000Z");

  series_.sessions[0].start = testing::local(2022, 2, 9, 17, 0);
  series_.sessions[0].end = testing::local(2022, 2, 9, 18, 0);
  json::object moved =
      first_event(testing::update(series_, session(series_, "verkosto"), aino_), later);
  EXPECT_EQ(moved.at("uid"), first.at("uid"));
  EXPECT_EQ(moved.at("dtstart"), "20220209T170000");
}

TEST_F(RenderCalendar, SequenceComesFromTheContext) {
  const auto notification = testing::update(series_, session(series_, "verkosto"), aino_);
  EXPECT_EQ(first_event(notification, render_context(0)).at("sequence"), 0);
  EXPECT_EQ(first_event(notification, render_context(3)).at("sequence"), 3);
  RenderContext per_session = render_context();
  per_session.revision = [](std::string_view id) {
    return SessionRevision{id == "verkosto" ? 5 : 1, {}, {}};
  };
  EXPECT_EQ(first_event(notification, per_session).at("sequence"), 5);
}

TEST_F(RenderCalendar, UpdateIsARequestForTheOneSession) {
  json::array all = calendars(testing::update(series_, session(series_, "hoitoketjut"), aino_),
                              render_context(1));
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].at("method"), "REQUEST");
  const json::array& events = all[0].at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("uid"), "hoitoketjut.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(events[0].at("summary"),
            "Hoito- ja palveluketjujen toimivuus, tulevaisuuden sote-keskukset");
  EXPECT_EQ(events[0].at("attendees").as_array().size(), 1u);
}

TEST_F(RenderCalendar, CancellationIsACancelWithStatusCancelled) {
  series_.sessions[0].cancelled = true;
  json::array all = calendars(testing::cancellation(series_, session(series_, "verkosto"), aino_),
                              render_context(1));
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].at("method"), "CANCEL");
  json::object event = all[0].at("events").as_array()[0].as_object();
  EXPECT_EQ(event.at("uid"), "verkosto.aluevaltuutetut-2022@kutsu.invalid");
  EXPECT_EQ(event.at("status"), "CANCELLED");
  EXPECT_EQ(event.at("sequence"), 1);
  EXPECT_EQ(event.at("attendees").as_array()[0].at("address"), "mailto:aino.virtanen@example.org");
}

TEST_F(RenderCalendar, JoinLinkIsUrlBesideTheWrittenLocationAndTheDescriptionHasTheTimetable) {
  json::array all =
      calendars(testing::invitation(series_, participant(series_, "matti.virtanen@example.org")));
  ASSERT_FALSE(all.empty());
  const json::array& events = all[0].at("events").as_array();
  EXPECT_EQ(events[0].at("url"), "https://example.org/zoom/personal/matti");
  EXPECT_EQ(events[0].at("location"), "Zoom");
  const std::string description{events[2].at("description").as_string()};
  EXPECT_NE(description.find("Linjat avataan klo 9.45."), std::string::npos) << description;
  EXPECT_NE(description.find("  12.00–12.45  Lounastauko\n"), std::string::npos);
  EXPECT_FALSE(description.ends_with("\n"));
}

// A session first sent inside the series' PUBLISH, then changed: the update
// (REQUEST) and the cancellation (CANCEL) are about the very event the
// PUBLISH made (its UID), newer by SEQUENCE and DTSTAMP, so a client
// replaces it rather than adding a second one; the update's times and zone
// read the same as the invitation's did.
TEST_F(RenderCalendar, UpdateAndCancellationReplaceTheEventThePublishMade) {
  json::array published = calendars(testing::invitation(series_, aino_));
  ASSERT_FALSE(published.empty());
  ASSERT_EQ(published[0].at("method"), "PUBLISH");
  const json::value& first = published[0].at("events").as_array()[1];  // hoitoketjut

  RenderContext later = render_context(1);
  later.now = testing::utc(2022, 1, 25, 12, 0);
  const agenda::Session& hoitoketjut = session(series_, "hoitoketjut");
  json::array updated = calendars(testing::update(series_, hoitoketjut, aino_), later);
  ASSERT_FALSE(updated.empty());
  EXPECT_EQ(updated[0].at("method"), "REQUEST");
  EXPECT_EQ(updated[0].at("timezones"), published[0].at("timezones"));
  ASSERT_EQ(updated[0].at("events").as_array().size(), 1u);
  const json::value& update = updated[0].at("events").as_array()[0];
  EXPECT_EQ(update.at("uid"), first.at("uid"));
  EXPECT_GT(update.at("sequence").as_int64(), first.at("sequence").as_int64());
  EXPECT_GT(update.at("dtstamp").as_string(), first.at("dtstamp").as_string());
  EXPECT_EQ(update.at("dtstart_iso"), first.at("dtstart_iso"));
  EXPECT_EQ(update.at("dtend_iso"), first.at("dtend_iso"));
  EXPECT_EQ(update.at("organizer"), first.at("organizer"));
  EXPECT_EQ(update.at("status"), "CONFIRMED");

  series_.sessions[1].cancelled = true;
  json::array cancelled = calendars(testing::cancellation(series_, hoitoketjut, aino_), later);
  ASSERT_FALSE(cancelled.empty());
  EXPECT_EQ(cancelled[0].at("method"), "CANCEL");
  const json::value& cancellation = cancelled[0].at("events").as_array()[0];
  EXPECT_EQ(cancellation.at("uid"), first.at("uid"));
  EXPECT_GT(cancellation.at("sequence").as_int64(), first.at("sequence").as_int64());
  EXPECT_EQ(cancellation.at("status"), "CANCELLED");
}

TEST_F(RenderCalendar, ReminderCarriesNoCalendar) {
  EXPECT_TRUE(calendars(testing::reminder(series_, session(series_, "verkosto"), aino_)).empty());
}

// build_calendar on its own: the text rules RFC 5545 sets for every line.
TEST(BuildCalendar, LinesAreCrlfAndFoldedAt75Octets) {
  CalendarRequest request;
  request.method = CalendarMethod::request;
  request.timezone = "Europe/Helsinki";
  request.stamp = testing::utc(2022, 1, 19, 7, 0);
  request.organiser = {"Liisa Esimerkki", "webinaarit@example.org"};
  request.attendee = CalendarPerson{"Äänekäs Öljynen", "a@example.org"};
  CalendarEvent event;
  event.uid = session_uid("s", "x");
  event.start = testing::local(2022, 2, 2, 18, 0).local;
  event.end = testing::local(2022, 2, 2, 19, 30).local;
  event.summary = std::string(40, 'a') + "äöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäöäö";
  event.description = "rivi\nrivi; pilkku, kenoviiva \\ loppu";
  request.events.push_back(event);
  Result<std::string> text = build_calendar(request);
  ASSERT_TRUE(text.ok()) << text.error().message;
  std::size_t start = 0;
  while (start < text->size()) {
    const std::size_t end = text->find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "last line not ended by CRLF";
    const std::string line = text->substr(start, end - start);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    start = end + 2;
  }
  EXPECT_NE(text->find("DESCRIPTION:rivi\\nrivi\\; pilkku\\, kenoviiva \\\\ loppu"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("TZID:Europe/Helsinki\r\n"), std::string::npos);
  EXPECT_EQ(text->find("freeassociation"), std::string::npos);
}

TEST(BuildCalendar, RefusesARequestAboutSeveralEvents) {
  CalendarRequest request;
  request.method = CalendarMethod::request;
  request.timezone = "Europe/Helsinki";
  request.attendee = CalendarPerson{"", "a@example.org"};
  request.events.resize(2);
  request.events[0].uid = "a";
  request.events[1].uid = "b";
  EXPECT_FALSE(build_calendar(request).ok());
  request.method = CalendarMethod::publish;
  EXPECT_TRUE(build_calendar(request).ok());
  // A recurring event and its changed occurrence share one UID: one event.
  request.method = CalendarMethod::request;
  request.events[1].uid = "a";
  request.events[1].recurrence_id = request.events[1].start;
  EXPECT_TRUE(build_calendar(request).ok());
}

TEST(BuildCalendar, UnknownZoneIsAnError) {
  CalendarRequest request;
  request.method = CalendarMethod::publish;
  request.timezone = "Mars/Olympus_Mons";
  request.events.resize(1);
  Result<std::string> text = build_calendar(request);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("Mars/Olympus_Mons"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::notifier
