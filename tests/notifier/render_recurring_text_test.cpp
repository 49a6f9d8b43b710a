// A recurring session in the mail text: said once, as a rule in words in the
// reader's language when it is a plain weekly rule (the issue's own example:
// "tiistaisin klo 8.30–9.15, 3.3.–28.4.2026, ei 31.3."), with its dates
// listed; a date list as its dates; a reminder names its occurrence's date.
#include "notifier/recurrence_words.h"

#include <gtest/gtest.h>

#include <string>

#include "agenda/series_parser.h"
#include "notifier/renderer.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using agenda::Language;
using kutsu::testing::inspect_email;
using kutsu::testing::part_text;

std::string coffee(const std::string& repeat, const std::string& extra = "") {
  return R"(id = "aamukahvit"
title = "Aamukahvit"
timezone = "Europe/Helsinki"
organiser = { email = "verkosto@example.org" }
participants = "kahvit.csv"
join_url = "https://example.org/zoom/kahvit"

[invitation]
before = "P14D"

[[reminder]]
before = "PT1H"

[[session]]
id = "kahvit"
title = "Aamukahvit"
start = 2026-03-03T08:30:00
duration = "PT45M"
repeat = ")" + repeat + "\"\n" + extra;
}

agenda::Series parse(const std::string& text) {
  agenda::SeriesOptions options{agenda::PlanUntil{date::local_days{date::year{2026} / 12 / 31}}};
  agenda::SeriesLoad load = agenda::parse_series(
      text, "kahvit.toml", "email,name,language\naino@example.org,Aino,fi\nelin@example.org,Elin,sv\n"
                           "john@example.org,John,en\n", options);
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string();
  return load.series ? std::move(*load.series) : agenda::Series{};
}

TEST(RecurrenceWords, AWeeklyRuleInEachLanguage) {
  agenda::Series series =
      parse(coffee("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428", "except = [2026-03-31]\n"));
  ASSERT_EQ(series.recurring.size(), 1u);
  EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::fi),
            "tiistaisin klo 8.30–9.15, 3.3.–28.4.2026, ei 31.3.");
  EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::sv),
            "tisdagar kl. 8.30–9.15, 3.3–28.4.2026, inte 31.3");
  EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::en),
            "Tuesdays 08:30–09:15, 3 Mar – 28 Apr 2026, not 31 Mar");
}

TEST(RecurrenceWords, CancelledOccurrencesAreLeftOutAndAnOpenRuleSaysFrom) {
  agenda::Series series = parse(coffee("FREQ=WEEKLY",
                                       "[[session.occurrence]]\ndate = 2026-03-17\ncancelled = true\n"));
  EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::fi),
            "tiistaisin klo 8.30–9.15, alkaen 3.3.2026, ei 17.3.");
  EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::en),
            "Tuesdays 08:30–09:15, from 3 Mar 2026, not 17 Mar");
}

TEST(RecurrenceWords, WhatWordsCannotSayExactlyHasNone) {
  for (const char* rule : {"FREQ=MONTHLY;BYDAY=-1TU;COUNT=5", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6",
                           "FREQ=WEEKLY;INTERVAL=2;COUNT=4", "FREQ=DAILY;COUNT=3"}) {
    agenda::Series series = parse(coffee(rule));
    ASSERT_EQ(series.recurring.size(), 1u) << rule;
    EXPECT_EQ(recurrence_in_words(series, series.recurring[0], Language::fi), std::nullopt) << rule;
  }
}

TEST(RecurrenceWords, TheInvitationSaysTheRuleOnceWithItsDatesAndAReminderItsDate) {
  agenda::Series series =
      parse(coffee("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428", "except = [2026-03-31]\n"));
  Renderer renderer{TemplateSource{}};
  RenderContext context = testing::render_context();
  context.now = date::sys_days{date::year{2026} / 2 / 17};
  const agenda::Participant& aino = testing::participant(series, "aino@example.org");
  Result<EmailMessage> invitation = renderer.render_email(testing::invitation(series, aino), context);
  ASSERT_TRUE(invitation) << invitation.error().message;
  const boost::json::value mail = inspect_email(invitation->bytes);
  const std::string text = part_text(mail, "text/plain");
  EXPECT_NE(text.find("Aamukahvit\ntiistaisin klo 8.30–9.15, 3.3.–28.4.2026, ei 31.3.\n"
                      "  ti 3.3.2026 klo 8.30–9.15\n  ti 10.3.2026 klo 8.30–9.15\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  ti 28.4.2026 klo 8.30–9.15\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("31.3.2026"), std::string::npos) << text;
  // Said once, not once per occurrence.
  EXPECT_EQ(text.find("tiistaisin"), text.rfind("tiistaisin")) << text;
  const std::string html = part_text(mail, "text/html");
  EXPECT_NE(html.find("tiistaisin klo 8.30–9.15, 3.3.–28.4.2026, ei 31.3.</p>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<li>ti 28.4.2026 klo 8.30–9.15</li>"), std::string::npos) << html;

  const agenda::Session& april = testing::session(series, "kahvit-20260414");
  Result<EmailMessage> reminder = renderer.render_email(testing::reminder(series, april, aino), context);
  ASSERT_TRUE(reminder) << reminder.error().message;
  const std::string reminder_text = part_text(inspect_email(reminder->bytes), "text/plain");
  EXPECT_NE(reminder_text.find("ti 14.4.2026 klo 8.30–9.15"), std::string::npos) << reminder_text;
  EXPECT_EQ(reminder_text.find("tiistaisin"), std::string::npos) << reminder_text;
}

}  // namespace
}  // namespace kutsu::notifier
