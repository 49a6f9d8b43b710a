// No agenda field can add a header or break the MIME structure: CR, LF and
// NUL in everything that reaches a header (series title, session title,
// organiser name, participant name) and in bodies, read back by an
// independent parser.
#include "notifier/renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::header_value;
using kutsu::testing::inspect_email;
using kutsu::testing::part_structure;
using kutsu::testing::part_text;
using testing::render_context;
using testing::seed_series;

namespace json = boost::json;
using namespace std::string_literals;

std::vector<std::string> header_names(const json::value& mail) {
  std::vector<std::string> names;
  for (const json::value& entry : mail.at("headers").as_array()) {
    std::string name{entry.as_array()[0].as_string()};
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    names.push_back(name);
  }
  return names;
}

const std::vector<std::string> kExpectedHeaders = {
    "date",       "from",           "reply-to",         "subject",      "to",
    "message-id", "auto-submitted", "content-language", "mime-version", "content-type"};

class RenderInjection : public ::testing::Test {
 protected:
  void SetUp() override {
    series_.title = "Webinaari\r\nBcc: evil@example.net\r\n\r\nÄäliö"s;
    series_.organiser.name = "Liisa\r\nX-Injected: organiser\nÖ"s;
    series_.participants[0].name = "Aino\nBcc: evil2@example.net\0Ä"s;
    series_.sessions[0].title = "Ilta\r\nX-Injected: session\r\n.\r\nÅ\0loppu"s;
    series_.sessions[0].description =
        "Rivi\r\n.\r\nMAIL FROM:<x@example.net>\r\n--=_alt_\r\nContent-Type: text/html\r\n\0"s;
    series_.sessions[0].speakers = {"Puhuja\r\nX-Injected: speaker"};
  }

  json::value render(const model::Notification& notification) {
    Result<EmailMessage> message = renderer_.render_email(notification, render_context(1));
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    EXPECT_EQ(message->bytes.find('\0'), std::string::npos);
    EXPECT_EQ(message->envelope_to, "aino.virtanen@example.org");
    return inspect_email(message->bytes);
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
};

TEST_F(RenderInjection, InvitationHeadersAreExactlyOurs) {
  json::value mail = render(testing::invitation(series_, series_.participants[0]));
  EXPECT_EQ(header_names(mail), kExpectedHeaders);
  EXPECT_TRUE(mail.at("defects").as_array().empty()) << mail.at("defects");
  // Line breaks became single spaces; the non-ASCII letters are intact.
  EXPECT_EQ(header_value(mail, "Subject"), "Kutsu: Webinaari Bcc: evil@example.net Ääliö");
  EXPECT_EQ(header_value(mail, "Reply-To"),
            "\"Liisa X-Injected: organiser Ö\" <webinaarit@example.org>");
  EXPECT_EQ(header_value(mail, "To"),
            "\"Aino Bcc: evil2@example.net Ä\" <aino.virtanen@example.org>");
  EXPECT_EQ(part_structure(mail),
            "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),"
            "application/ics)");
}

TEST_F(RenderInjection, ReminderSubjectWithSessionTitleStaysOneHeader) {
  json::value mail =
      render(testing::reminder(series_, series_.sessions[0], series_.participants[0]));
  EXPECT_EQ(header_names(mail), kExpectedHeaders);
  EXPECT_EQ(header_value(mail, "Subject"),
            "Muistutus: Ilta X-Injected: session . Å loppu ke 2.2.2022 klo 18.00–19.30");
  EXPECT_EQ(part_structure(mail), "multipart/alternative(text/plain,text/html)");
}

TEST_F(RenderInjection, BodyTextCannotEndOrStartAPart) {
  json::value mail =
      render(testing::cancellation(series_, series_.sessions[0], series_.participants[0]));
  EXPECT_EQ(part_structure(mail),
            "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),"
            "application/ics)");
  json::value update =
      render(testing::update(series_, series_.sessions[0], series_.participants[0]));
  EXPECT_EQ(part_structure(update),
            "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),"
            "application/ics)");
  const std::string text = part_text(update, "text/plain");
  // The hostile description arrives as text inside the plain part.
  EXPECT_NE(text.find("Rivi\n.\nMAIL FROM:<x@example.net>\n--=_alt_\nContent-Type: text/html\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Puhuja X-Injected: speaker"), std::string::npos);
}

TEST_F(RenderInjection, CalendarValuesStayOnTheirProperty) {
  json::value mail = render(testing::update(series_, series_.sessions[0], series_.participants[0]));
  const json::array& calendars = mail.at("calendars").as_array();
  ASSERT_EQ(calendars.size(), 2u);
  const json::object& event = calendars[0].at("events").as_array()[0].as_object();
  EXPECT_EQ(event.at("summary"), "Ilta X-Injected: session . Å loppu");
  EXPECT_EQ(event.at("organizer").at("cn"), "Liisa X-Injected: organiser Ö");
  EXPECT_EQ(event.at("attendees").as_array()[0].at("cn"), "Aino Bcc: evil2@example.net Ä");
  EXPECT_EQ(event.at("uid"), "verkosto.aluevaltuutetut-2022@kutsu.invalid");
}

TEST_F(RenderInjection, InvalidUtf8IsReplacedNotPassedOn) {
  series_.participants[0].name = "Aino \xff\xfe Virtanen";
  series_.sessions[0].title = "Ilta \xc3";  // a lead byte with nothing after it
  json::value mail =
      render(testing::reminder(series_, series_.sessions[0], series_.participants[0]));
  EXPECT_EQ(header_value(mail, "To"), "Aino \uFFFD\uFFFD Virtanen <aino.virtanen@example.org>");
  EXPECT_EQ(header_value(mail, "Subject"), "Muistutus: Ilta \uFFFD ke 2.2.2022 klo 18.00–19.30");
}

}  // namespace
}  // namespace kutsu::notifier
