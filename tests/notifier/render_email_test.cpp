// Whole e-mails as a participant's mail client sees them: rendered by the
// Renderer, then parsed by Python's `email` package (inspect_email.py).
#include "notifier/renderer.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::find_part;
using kutsu::testing::header_value;
using kutsu::testing::header_values;
using kutsu::testing::inspect_email;
using kutsu::testing::part_structure;
using kutsu::testing::part_text;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

class RenderEmail : public ::testing::Test {
 protected:
  EmailMessage render(const model::Notification& notification,
                      const RenderContext& context = render_context()) {
    Result<EmailMessage> message = renderer_.render_email(notification, context);
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    return std::move(message).value();
  }
  boost::json::value inspect(const model::Notification& notification,
                             const RenderContext& context = render_context()) {
    return inspect_email(render(notification, context).bytes);
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
};

TEST_F(RenderEmail, InvitationIsTextHtmlAndCalendarWithAnAttachedCopy) {
  auto mail =
      inspect(testing::invitation(series_, participant(series_, "aino.virtanen@example.org")));
  EXPECT_EQ(part_structure(mail),
            "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),"
            "application/ics)");
  EXPECT_EQ(find_part(mail, "text/plain")->at("charset"), "utf-8");
  EXPECT_EQ(find_part(mail, "text/html")->at("charset"), "utf-8");
  const auto* calendar = find_part(mail, "text/calendar");
  EXPECT_EQ(calendar->at("charset"), "utf-8");
  EXPECT_EQ(calendar->at("params").at("method"), "PUBLISH");
  const auto* attachment = find_part(mail, "application/ics");
  EXPECT_EQ(attachment->at("disposition"), "attachment");
  EXPECT_EQ(attachment->at("filename"), "invite.ics");
  EXPECT_TRUE(mail.at("defects").as_array().empty());
}

TEST_F(RenderEmail, ReminderIsTextAndHtmlOnly) {
  auto mail = inspect(testing::reminder(series_, session(series_, "verkosto"),
                                        participant(series_, "aino.virtanen@example.org")));
  EXPECT_EQ(part_structure(mail), "multipart/alternative(text/plain,text/html)");
  EXPECT_TRUE(mail.at("calendars").as_array().empty());
}

TEST_F(RenderEmail, HeadersAsTheClientDecodesThem) {
  const auto notification =
      testing::invitation(series_, participant(series_, "matti.virtanen@example.org"));
  EmailMessage message = render(notification);
  auto mail = inspect_email(message.bytes);
  const std::string id = notification.id.to_string();
  EXPECT_EQ(header_value(mail, "From"), "Webinaarit <webinaarit@example.org>");
  EXPECT_EQ(header_value(mail, "To"), "Matti Virtanen <matti.virtanen@example.org>");
  EXPECT_EQ(header_value(mail, "Reply-To"), "Liisa Esimerkki <webinaarit@example.org>");
  EXPECT_EQ(header_value(mail, "Subject"), "Kutsu: Uusien aluevaltuutettujen webinaarisarja");
  EXPECT_EQ(header_value(mail, "Date"), "Wed, 19 Jan 2022 07:00:00 +0000");
  EXPECT_EQ(header_value(mail, "Message-ID"), "<" + id + "@example.org>");
  EXPECT_EQ(header_value(mail, "MIME-Version"), "1.0");
  EXPECT_EQ(header_value(mail, "Auto-Submitted"), "auto-generated");
  EXPECT_EQ(header_value(mail, "Content-Language"), "fi");
  EXPECT_EQ(message.notification_id, id);
  EXPECT_EQ(message.envelope_from, "webinaarit@example.org");
  EXPECT_EQ(message.envelope_to, "matti.virtanen@example.org");
}

TEST_F(RenderEmail, FinnishLettersSurviveInEncodedHeaders) {
  series_.title = "Äänestäjien ja päättäjien työpaja";
  series_.participants[0].name = "Åsa Öhman-Kärkkäinen";
  series_.organiser.name = "Järjestäjä Ääninen";
  EmailMessage message = render(testing::invitation(series_, series_.participants[0]));
  // On the wire every header is ASCII (RFC 2047 encoded words)...
  const std::string head = message.bytes.substr(0, message.bytes.find("\r\n\r\n"));
  for (unsigned char c : head) ASSERT_LT(c, 0x80) << head;
  // ...and decodes back to exactly what the organiser wrote.
  auto mail = inspect_email(message.bytes);
  EXPECT_EQ(header_value(mail, "Subject"), "Kutsu: Äänestäjien ja päättäjien työpaja");
  EXPECT_EQ(header_value(mail, "To"), "Åsa Öhman-Kärkkäinen <aino.virtanen@example.org>");
  EXPECT_EQ(header_value(mail, "Reply-To"), "Järjestäjä Ääninen <webinaarit@example.org>");
}

TEST_F(RenderEmail, DatesAreInTheRecipientsLanguage) {
  const agenda::Session& verkosto = session(series_, "verkosto");
  auto fi = inspect(
      testing::reminder(series_, verkosto, participant(series_, "aino.virtanen@example.org")));
  auto sv = inspect(
      testing::reminder(series_, verkosto, participant(series_, "elin.lindqvist@example.org")));
  auto en =
      inspect(testing::reminder(series_, verkosto, participant(series_, "john.smith@example.org")));
  EXPECT_EQ(header_value(fi, "Subject"),
            "Muistutus: Valtakunnallisen yhteistyön käynnistäminen ke 2.2.2022 klo 18.00–19.30");
  EXPECT_EQ(header_value(sv, "Subject"),
            "Påminnelse: Valtakunnallisen yhteistyön käynnistäminen ons 2.2.2022 kl. 18.00–19.30");
  EXPECT_EQ(header_value(en, "Subject"),
            "Reminder: Valtakunnallisen yhteistyön käynnistäminen, Wed 2 Feb 2022, 18:00–19:30");
  EXPECT_NE(part_text(fi, "text/plain")
                .find("muistutamme tilaisuudesta, joka pidetään "
                      "ke 2.2.2022 klo 18.00–19.30:"),
            std::string::npos);
  EXPECT_NE(part_text(sv, "text/plain").find("ons 2.2.2022 kl. 18.00–19.30"), std::string::npos);
  EXPECT_NE(part_text(en, "text/html").find("Wed 2 Feb 2022, 18:00–19:30"), std::string::npos);
  EXPECT_EQ(header_value(sv, "Content-Language"), "sv");
}

TEST_F(RenderEmail, InvitationListsEverySessionAndTheSeminarTimetable) {
  auto mail =
      inspect(testing::invitation(series_, participant(series_, "aino.virtanen@example.org")));
  const std::string text = part_text(mail, "text/plain");
  for (const char* expected : {
           "Valtakunnallisen yhteistyön käynnistäminen\nke 2.2.2022 klo 18.00–19.30\n"
           "Alustaja: Anne Huotari\nPaikka: Zoom\n",
           "ke 16.2.2022 klo 18.00–19.30\nAlustajat: Anne Huotari, Marianne Riekki\n",
           "la 26.3.2022 klo 10.00–15.00\nPaikka: Zoom\nLinjat avataan klo 9.45.\n",
           "Aikataulu:\n  10.00–10.20  Tilaisuuden avaus\n"
           "  10.20–10.50  Hyvinvointistrategiaprosessi – Anne Huotari\n"
           // Each kind said once: no "[tauko]" after "Tauko".
           "  10.50–11.00  Tauko\n"
           "  11.00–12.00  Pienryhmäkeskustelu\n"
           "  12.00–12.45  Lounastauko\n"
           "  12.45–13.00  Kulttuuriohjelmaa\n",
           "  14.55  Tilaisuuden päätös [muu]\n",
           "Liity tästä: https://example.org/zoom/aluevaltuutetut-2022\n",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing:\n"
                                                      << expected << "\nin:\n"
                                                      << text;
  }
  const std::string html = part_text(mail, "text/html");
  EXPECT_NE(html.find(">12.00–12.45</td>"), std::string::npos);
  EXPECT_NE(html.find(">Lounastauko</td>"), std::string::npos);
  // Two columns fit a phone; the kind follows a title that does not say it.
  EXPECT_EQ(html.find(">ruokailu<"), std::string::npos);
  EXPECT_NE(html.find("Kyselytunti <span style=\"color:#555555;\">(keskustelu)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("Linjat avataan klo 9.45."), std::string::npos);
}

// The plain-text timetable tags a kind only where the title does not say it
// already, in the reader's language: "Tauko [tauko]" said it twice.
TEST_F(RenderEmail, PlainTextTimetableSaysEachKindOnce) {
  const agenda::Session& seminar = session(series_, "sanoista-teoiksi");
  const std::string fi = part_text(
      inspect(testing::reminder(series_, seminar, participant(series_, "aino.virtanen@example.org"))),
      "text/plain");
  EXPECT_NE(fi.find("  10.50–11.00  Tauko\n"), std::string::npos) << fi;
  EXPECT_EQ(fi.find("[tauko]"), std::string::npos) << fi;
  EXPECT_EQ(fi.find("[ruokailu]"), std::string::npos) << fi;
  // The title does not say it: the tag does.
  EXPECT_NE(fi.find("  14.25–14.55  Kyselytunti [keskustelu]\n"), std::string::npos) << fi;
  EXPECT_NE(fi.find("  14.55  Tilaisuuden päätös [muu]\n"), std::string::npos) << fi;

  // A Swedish reader does not read "Tauko" as a break: the tag is theirs.
  const std::string sv = part_text(
      inspect(testing::reminder(series_, seminar, participant(series_, "elin.lindqvist@example.org"))),
      "text/plain");
  EXPECT_NE(sv.find("  10.50–11.00  Tauko [paus]\n"), std::string::npos) << sv;

  // Case and compounds: "KAHVITAUKO" and an English "Coffee Break" say it.
  series_.sessions[2].agenda[2].title = "KAHVITAUKO";
  series_.sessions[2].agenda[4].title = "Lunch and Coffee Break";
  const std::string en_fi = part_text(
      inspect(testing::reminder(series_, seminar, participant(series_, "aino.virtanen@example.org"))),
      "text/plain");
  EXPECT_NE(en_fi.find("  10.50–11.00  KAHVITAUKO\n"), std::string::npos) << en_fi;
  const std::string en = part_text(
      inspect(testing::reminder(series_, seminar, participant(series_, "john.smith@example.org"))),
      "text/plain");
  EXPECT_NE(en.find("  12:00–12:45  Lunch and Coffee Break\n"), std::string::npos) << en;
}

TEST_F(RenderEmail, PersonalJoinLinkWinsOverSessionAndSeriesLinks) {
  series_.sessions[1].join_url = "https://example.org/zoom/hoitoketjut";
  const agenda::Session& hoitoketjut = session(series_, "hoitoketjut");
  auto matti = inspect(
      testing::reminder(series_, hoitoketjut, participant(series_, "matti.virtanen@example.org")));
  auto aino = inspect(
      testing::reminder(series_, hoitoketjut, participant(series_, "aino.virtanen@example.org")));
  auto aino_other = inspect(testing::reminder(series_, session(series_, "verkosto"),
                                              participant(series_, "aino.virtanen@example.org")));
  EXPECT_NE(
      part_text(matti, "text/plain").find("Liity tästä: https://example.org/zoom/personal/matti"),
      std::string::npos);
  EXPECT_EQ(part_text(matti, "text/plain").find("zoom/hoitoketjut"), std::string::npos);
  EXPECT_NE(part_text(matti, "text/html").find("href=\"https://example.org/zoom/personal/matti\""),
            std::string::npos);
  EXPECT_NE(part_text(aino, "text/plain").find("Liity tästä: https://example.org/zoom/hoitoketjut"),
            std::string::npos);
  EXPECT_NE(part_text(aino_other, "text/plain")
                .find("Liity tästä: https://example.org/zoom/aluevaltuutetut-2022"),
            std::string::npos);
}

TEST_F(RenderEmail, EveryLineEndsInCrlfAndTheMessageIsSevenBit) {
  EmailMessage message =
      render(testing::invitation(series_, participant(series_, "elin.lindqvist@example.org")));
  const std::string& bytes = message.bytes;
  ASSERT_FALSE(bytes.empty());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    ASSERT_LT(c, 0x80) << "8-bit byte at " << i;
    ASSERT_NE(c, 0) << "NUL at " << i;
    if (c == '\n') {
      ASSERT_TRUE(i > 0 && bytes[i - 1] == '\r') << "bare LF at " << i;
      EXPECT_LE(i - line_start, 78u) << bytes.substr(line_start, i - line_start);
      line_start = i + 1;
    } else if (c == '\r') {
      ASSERT_TRUE(i + 1 < bytes.size() && bytes[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_TRUE(bytes.ends_with("\r\n"));
}

TEST_F(RenderEmail, SameInputGivesTheSameBytes) {
  const auto notification =
      testing::invitation(series_, participant(series_, "aino.virtanen@example.org"));
  EXPECT_EQ(render(notification).bytes, render(notification).bytes);
}

TEST_F(RenderEmail, HtmlEscapesWhatTheOrganiserWrote) {
  series_.sessions[0].title = "<b>Tom & \"Jerry\"</b>";
  series_.sessions[0].description = "<script>alert('x')</script>";
  auto mail = inspect(testing::reminder(series_, session(series_, "verkosto"),
                                        participant(series_, "aino.virtanen@example.org")));
  const std::string html = part_text(mail, "text/html");
  EXPECT_NE(html.find("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>Tom"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
  // The plain-text part is not HTML: it shows the characters as written.
  EXPECT_NE(part_text(mail, "text/plain").find("<b>Tom & \"Jerry\"</b>"), std::string::npos);
}

TEST_F(RenderEmail, UpdateSaysWhatChanged) {
  series_.sessions[0].start = testing::local(2022, 2, 9, 18, 0);
  series_.sessions[0].end = testing::local(2022, 2, 9, 19, 30);
  RenderContext context = render_context();
  context.revision = [](std::string_view) {
    return SessionRevision{2, testing::utc(2022, 2, 2, 16, 0), testing::utc(2022, 2, 2, 17, 30)};
  };
  auto mail = inspect(testing::update(series_, session(series_, "verkosto"),
                                      participant(series_, "aino.virtanen@example.org")),
                      context);
  EXPECT_EQ(header_value(mail, "Subject"),
            "Muutos: Valtakunnallisen yhteistyön käynnistäminen ke 9.2.2022 klo 18.00–19.30");
  const std::string text = part_text(mail, "text/plain");
  EXPECT_NE(text.find("tilaisuuden aika on muuttunut:\n\n"
                      "Valtakunnallisen yhteistyön käynnistäminen\n"
                      "Uusi aika:   ke 9.2.2022 klo 18.00–19.30\n"
                      "Aiempi aika: ke 2.2.2022 klo 18.00–19.30 (ei enää voimassa)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(find_part(mail, "text/calendar")->at("params").at("method"), "REQUEST");
}

TEST_F(RenderEmail, UpdateWithoutHistorySaysTheDetailsChanged) {
  auto mail = inspect(testing::update(series_, session(series_, "verkosto"),
                                      participant(series_, "john.smith@example.org")),
                      render_context(1));
  EXPECT_NE(part_text(mail, "text/plain")
                .find("the details of this session have changed. The current details:"),
            std::string::npos);
}

TEST_F(RenderEmail, CancellationSaysWhichSessionIsOff) {
  series_.sessions[0].cancelled = true;
  auto mail = inspect(testing::cancellation(series_, session(series_, "verkosto"),
                                            participant(series_, "aino.virtanen@example.org")),
                      render_context(1));
  EXPECT_EQ(header_value(mail, "Subject"),
            "Peruttu: Valtakunnallisen yhteistyön käynnistäminen ke 2.2.2022 klo 18.00–19.30");
  EXPECT_NE(part_text(mail, "text/plain")
                .find("seuraava tilaisuus on peruttu:\n\n"
                      "Valtakunnallisen yhteistyön käynnistäminen\n"
                      "ke 2.2.2022 klo 18.00–19.30\n"),
            std::string::npos);
  EXPECT_EQ(find_part(mail, "text/calendar")->at("params").at("method"), "CANCEL");
}

TEST_F(RenderEmail, InvitationMarksACancelledSession) {
  series_.sessions[1].cancelled = true;
  auto mail = inspect(testing::invitation(series_, participant(series_, "john.smith@example.org")));
  EXPECT_NE(
      part_text(mail, "text/plain")
          .find("Hoito- ja palveluketjujen toimivuus, tulevaisuuden sote-keskukset – CANCELLED\n"
                "Wed 16 Feb 2022, 18:00–19:30\n"),
      std::string::npos);
}

TEST_F(RenderEmail, ParticipantWithoutANameIsGreetedWithoutOne) {
  series_.participants[0].name.clear();
  auto mail = inspect(testing::invitation(series_, series_.participants[0]));
  EXPECT_TRUE(part_text(mail, "text/plain").starts_with("Hei,\n\ntervetuloa mukaan:"));
  EXPECT_EQ(header_value(mail, "To"), "aino.virtanen@example.org");
}

TEST_F(RenderEmail, BadSenderIsAnError) {
  RenderContext context = render_context();
  context.from = "not an address";
  Result<EmailMessage> message = renderer_.render_email(
      testing::invitation(series_, participant(series_, "aino.virtanen@example.org")), context);
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().message.find("sender"), std::string::npos) << message.error().message;
}

TEST_F(RenderEmail, MessageIdUsesTheSendersDomain) {
  RenderContext context = render_context();
  context.from = "kutsu@lists.example.net";
  const auto notification =
      testing::invitation(series_, participant(series_, "aino.virtanen@example.org"));
  auto mail = inspect(notification, context);
  EXPECT_EQ(header_value(mail, "Message-ID"),
            "<" + notification.id.to_string() + "@lists.example.net>");
  EXPECT_EQ(header_value(mail, "From"), "kutsu@lists.example.net");
}

}  // namespace
}  // namespace kutsu::notifier
