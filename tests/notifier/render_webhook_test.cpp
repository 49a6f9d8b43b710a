// Webhook bodies exactly as interfaces.md shows them.
#include "notifier/webhook_payload.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "notifier/renderer.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using model::NotificationKind;
using testing::render_context;
using testing::seed_series;
using testing::session;

namespace json = boost::json;

class RenderWebhook : public ::testing::Test {
 protected:
  WebhookCall render(const model::Notification& notification) {
    Result<WebhookCall> call = renderer_.render_webhook(notification, render_context());
    if (!call) {
      ADD_FAILURE() << call.error().message;
      return {};
    }
    return std::move(call).value();
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
};

TEST_F(RenderWebhook, ReminderBodyIsExactlyTheDocumentedShape) {
  const auto notification =
      testing::webhook(series_, NotificationKind::reminder, &session(series_, "verkosto"), "tiimi",
                       &series_.reminders[1]);
  WebhookCall call = render(notification);
  const std::string id = notification.id.to_string();
  EXPECT_EQ(call.notification_id, id);
  EXPECT_EQ(call.endpoint, "tiimi");
  EXPECT_EQ(call.body,
            "{\"type\":\"reminder\",\"id\":\"" + id +
                "\",\"offset\":\"PT1H\","
                "\"series\":{\"id\":\"aluevaltuutetut-2022\","
                "\"title\":\"Uusien aluevaltuutettujen webinaarisarja\"},"
                "\"session\":{\"id\":\"verkosto\","
                "\"title\":\"Valtakunnallisen yhteistyön käynnistäminen\","
                "\"start\":\"2022-02-02T18:00:00+02:00\",\"end\":\"2022-02-02T19:30:00+02:00\","
                "\"join_url\":\"https://example.org/zoom/aluevaltuutetut-2022\","
                "\"speakers\":[\"Anne Huotari\"]},"
                "\"due\":\"2022-02-02T15:00:00Z\"}");
}

// The service hands over its plan's times, so a burst of webhooks does not
// convert the whole series per call; times that do not fit the series are
// not used.
TEST_F(RenderWebhook, UsesTheTimesItIsGivenWhenTheyFitTheSeries) {
  const auto notification =
      testing::webhook(series_, NotificationKind::reminder, &session(series_, "verkosto"), "tiimi",
                       &series_.reminders[1]);
  model::SeriesTimes given = model::convert_times(series_).times;
  given.sessions[0].start += std::chrono::hours(1);
  RenderContext context = render_context();
  context.series_times = &given;
  json::value body = json::parse(renderer_.render_webhook(notification, context).value().body);
  EXPECT_EQ(body.at("session").at("start"), "2022-02-02T19:00:00+02:00");

  given.sessions.pop_back();  // not parallel to the series' sessions: converted afresh
  body = json::parse(renderer_.render_webhook(notification, context).value().body);
  EXPECT_EQ(body.at("session").at("start"), "2022-02-02T18:00:00+02:00");
}

TEST_F(RenderWebhook, InvitationHasNoSessionButListsTheSessions) {
  series_.sessions[1].cancelled = true;
  json::value body = json::parse(
      render(testing::webhook(series_, NotificationKind::invitation, nullptr, "tiimi")).body);
  EXPECT_EQ(body.at("type"), "invitation");
  EXPECT_TRUE(body.at("offset").is_null());
  EXPECT_TRUE(body.at("session").is_null());
  EXPECT_EQ(body.at("due"), "2022-01-19T07:00:00Z");
  const json::array& sessions = body.at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 2u);  // the cancelled one is not announced
  EXPECT_EQ(sessions[0].at("id"), "verkosto");
  EXPECT_EQ(sessions[1].at("id"), "sanoista-teoiksi");
  EXPECT_EQ(sessions[1].at("start"), "2022-03-26T10:00:00+02:00");
  EXPECT_EQ(sessions[1].at("end"), "2022-03-26T15:00:00+02:00");
  EXPECT_EQ(sessions[1].at("speakers"), json::array{});
}

TEST_F(RenderWebhook, UpdateAndCancellationNameTheirSession) {
  series_.sessions[0].cancelled = true;
  json::value cancellation =
      json::parse(render(testing::webhook(series_, NotificationKind::cancellation,
                                          &session(series_, "verkosto"), "tiimi"))
                      .body);
  EXPECT_EQ(cancellation.at("type"), "cancellation");
  EXPECT_TRUE(cancellation.at("offset").is_null());
  EXPECT_EQ(cancellation.at("session").at("id"), "verkosto");
  EXPECT_FALSE(cancellation.as_object().contains("sessions"));
  json::value update =
      json::parse(render(testing::webhook(series_, NotificationKind::update,
                                          &session(series_, "hoitoketjut"), "tiimi"))
                      .body);
  EXPECT_EQ(update.at("type"), "update");
  EXPECT_EQ(update.at("session").at("speakers"), json::array({"Anne Huotari", "Marianne Riekki"}));
}

// "PT60S" is one minute, and ids know it as PT1M; the receiver sees what
// the organiser wrote.
TEST_F(RenderWebhook, OffsetIsTheBeforeAsTheOrganiserWroteIt) {
  series_.reminders[1].before = agenda::Duration{0, std::chrono::seconds{60}};
  series_.reminders[1].before_text = "PT60S";
  const auto notification =
      testing::webhook(series_, NotificationKind::reminder, &session(series_, "verkosto"), "tiimi",
                       &series_.reminders[1]);
  json::value body = json::parse(render(notification).body);
  EXPECT_EQ(body.at("offset"), "PT60S");
  EXPECT_EQ(body.at("due"), "2022-02-02T15:59:00Z");
}

// As the e-mail strikes the old time through, the update's body says where
// the session was before it moved; null when the outbox does not know.
TEST_F(RenderWebhook, AnUpdateCarriesThePreviousStartAndEnd) {
  const auto update = testing::webhook(series_, NotificationKind::update,
                                       &session(series_, "verkosto"), "tiimi");
  RenderContext context = render_context(1);
  context.revision = [](std::string_view session_id) {
    SessionRevision revision{1, {}, {}};
    if (session_id == "verkosto") {
      revision.previous_start = testing::utc(2022, 2, 1, 16, 0);
      revision.previous_end = testing::utc(2022, 2, 1, 17, 30);
    }
    return revision;
  };
  Result<WebhookCall> call = renderer_.render_webhook(update, context);
  ASSERT_TRUE(call) << call.error().message;
  json::value body = json::parse(call->body);
  EXPECT_EQ(body.at("previous"), (json::object{{"start", "2022-02-01T18:00:00+02:00"},
                                               {"end", "2022-02-01T19:30:00+02:00"}}));
  EXPECT_EQ(body.at("session").at("start"), "2022-02-02T18:00:00+02:00");
  // After "session", before "due".
  EXPECT_LT(call->body.find("\"session\":"), call->body.find("\"previous\":"));
  EXPECT_LT(call->body.find("\"previous\":"), call->body.find("\"due\":"));

  json::value unknown = json::parse(render(update).body);
  EXPECT_TRUE(unknown.at("previous").is_null());
  // Only updates have it.
  json::value reminder = json::parse(
      render(testing::webhook(series_, NotificationKind::reminder, &session(series_, "verkosto"),
                              "tiimi", &series_.reminders[1]))
          .body);
  EXPECT_FALSE(reminder.as_object().contains("previous"));
}

TEST_F(RenderWebhook, SummerTimeAndASessionLinkAndNoLinkAtAll) {
  series_.sessions[0].start = testing::local(2022, 6, 1, 18, 0);
  series_.sessions[0].end = testing::local(2022, 6, 1, 19, 30);
  series_.sessions[0].join_url = "https://example.org/zoom/kesa";
  series_.join_url.reset();
  json::value body = json::parse(
      render(testing::webhook(series_, NotificationKind::reminder, &session(series_, "verkosto"),
                              "tiimi", &series_.reminders[0]))
          .body);
  EXPECT_EQ(body.at("offset"), "P1D");
  EXPECT_EQ(body.at("session").at("start"), "2022-06-01T18:00:00+03:00");
  EXPECT_EQ(body.at("session").at("join_url"), "https://example.org/zoom/kesa");
  EXPECT_EQ(body.at("due"), "2022-05-31T15:00:00Z");
  json::value other = json::parse(
      render(testing::webhook(series_, NotificationKind::reminder, &session(series_, "hoitoketjut"),
                              "tiimi", &series_.reminders[0]))
          .body);
  EXPECT_TRUE(other.at("session").at("join_url").is_null());
}

TEST_F(RenderWebhook, PersonalLinksNeverLeaveInAWebhook) {
  const std::string body =
      render(testing::webhook(series_, NotificationKind::invitation, nullptr, "tiimi")).body;
  EXPECT_EQ(body.find("personal"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::notifier
