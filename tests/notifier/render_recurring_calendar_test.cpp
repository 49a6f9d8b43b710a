// A recurring session in the calendar part, as Python's icalendar reads it
// and dateutil expands it (tests/fixtures/inspect_email.py): one event with
// RRULE and EXDATE (or RDATE for a date list) whose expansion is exactly the
// occurrences Kutsu planned, a RECURRENCE-ID event for a changed occurrence,
// and an update of one occurrence that carries only its RECURRENCE-ID.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agenda/series_parser.h"
#include "notifier/renderer.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

namespace json = boost::json;
using kutsu::testing::inspect_email;

constexpr char kCoffee[] = R"(id = "aamukahvit"
title = "Aamukahvit"
timezone = "Europe/Helsinki"
organiser = { name = "Verkosto", email = "verkosto@example.org" }
participants = "kahvit.csv"
join_url = "https://example.org/zoom/kahvit"

[invitation]
before = "P14D"

[[session]]
id = "kahvit"
title = "Aamukahvit"
start = 2026-03-03T08:30:00
duration = "PT45M"
repeat = "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428"
except = [2026-03-31]

  [[session.occurrence]]
  date = 2026-04-14
  start = 09:00:00
  title = "Aamukahvit: vieraana kunnanjohtaja"

  [[session.occurrence]]
  date = 2026-04-21
  cancelled = true
)";

constexpr char kCsv[] = "email,name\naino@example.org,Aino\n";

agenda::Series parse(const std::string& text) {
  agenda::SeriesOptions options{agenda::PlanUntil{date::local_days{date::year{2027} / 1 / 1}}};
  agenda::SeriesLoad load = agenda::parse_series(text, "kahvit.toml", kCsv, options);
  for (const Diagnostic& d : load.diagnostics) ADD_FAILURE() << d.to_string();
  return load.series ? std::move(*load.series) : agenda::Series{};
}

std::string utc_of(const agenda::Series& series, date::local_seconds local) {
  return date::format("%FT%TZ", series.zone->to_sys(local));
}

json::array events_of(const Renderer& renderer, const model::Notification& notification,
                      const RenderContext& context) {
  Result<EmailMessage> message = renderer.render_email(notification, context);
  if (!message) {
    ADD_FAILURE() << message.error().message;
    return {};
  }
  json::value mail = inspect_email(message->bytes);
  const json::array& calendars = mail.at("calendars").as_array();
  if (calendars.empty()) {
    ADD_FAILURE() << "no calendar";
    return {};
  }
  return calendars[0].at("events").as_array();
}

RenderContext context_at(int sequence) {
  RenderContext context = testing::render_context(sequence);
  context.now = date::sys_days{date::year{2026} / 2 / 17};
  return context;
}

TEST(RenderRecurringCalendar, TheInvitationIsOneEventWhoseExpansionIsThePlannedOccurrences) {
  agenda::Series series = parse(kCoffee);
  ASSERT_EQ(series.sessions.size(), 8u);  // 3.3.–28.4., without 31.3.
  Renderer renderer{TemplateSource{}};
  const agenda::Participant& aino = testing::participant(series, "aino@example.org");
  Result<EmailMessage> message =
      renderer.render_email(testing::invitation(series, aino), context_at(0));
  ASSERT_TRUE(message) << message.error().message;
  json::value mail = inspect_email(message->bytes);
  const json::object& calendar = mail.at("calendars").as_array()[0].as_object();
  // One event (a rule and its changed occurrence share one UID): a REQUEST.
  EXPECT_EQ(calendar.at("method"), "REQUEST");
  const json::array& events = calendar.at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  const json::object& master = events[0].as_object();
  EXPECT_EQ(master.at("uid"), "kahvit.aamukahvit@kutsu.invalid");
  EXPECT_EQ(master.at("dtstart"), "20260303T083000");
  EXPECT_EQ(master.at("dtstart_tzid"), "Europe/Helsinki");
  EXPECT_EQ(master.at("dtend"), "20260303T091500");
  // The date UNTIL is the end of that day in Helsinki, in UTC (RFC 5545 3.3.10).
  EXPECT_EQ(master.at("rrule"), "FREQ=WEEKLY;UNTIL=20260428T205959Z;BYDAY=TU");
  EXPECT_EQ(master.at("exdates"),
            (json::array{"2026-03-31T08:30:00+03:00", "2026-04-21T08:30:00+03:00"}));
  EXPECT_EQ(master.at("recurrence_id"), nullptr);

  // What a client expands from the master: every planned occurrence that is
  // not cancelled, the moved one at its place in the rule.
  std::vector<std::string> planned;
  for (const agenda::Session& session : series.sessions) {
    if (session.cancelled) continue;
    planned.push_back(utc_of(series, series.recurring[0].planned_start(session.occurrence->planned)));
  }
  json::array expected;
  for (const std::string& start : planned) expected.push_back(json::string(start));
  EXPECT_EQ(master.at("occurrences"), expected);

  const json::object& moved = events[1].as_object();
  EXPECT_EQ(moved.at("uid"), "kahvit.aamukahvit@kutsu.invalid");
  EXPECT_EQ(moved.at("recurrence_id"), "20260414T083000");
  EXPECT_EQ(moved.at("recurrence_id_tzid"), "Europe/Helsinki");
  EXPECT_EQ(moved.at("dtstart"), "20260414T090000");
  EXPECT_EQ(moved.at("dtend"), "20260414T094500");
  EXPECT_EQ(moved.at("summary"), "Aamukahvit: vieraana kunnanjohtaja");
  EXPECT_EQ(moved.at("rrule"), nullptr);
}

TEST(RenderRecurringCalendar, AnUpdateOfOneOccurrenceCarriesOnlyItsRecurrenceId) {
  agenda::Series series = parse(kCoffee);
  Renderer renderer{TemplateSource{}};
  const agenda::Participant& aino = testing::participant(series, "aino@example.org");
  const agenda::Session& moved = testing::session(series, "kahvit-20260414");
  json::array events = events_of(renderer, testing::update(series, moved, aino), context_at(2));
  ASSERT_EQ(events.size(), 1u);
  const json::object& event = events[0].as_object();
  EXPECT_EQ(event.at("uid"), "kahvit.aamukahvit@kutsu.invalid");
  EXPECT_EQ(event.at("recurrence_id"), "20260414T083000");
  EXPECT_EQ(event.at("dtstart"), "20260414T090000");
  EXPECT_EQ(event.at("sequence"), 2);
  EXPECT_EQ(event.at("rrule"), nullptr);
  EXPECT_EQ(event.at("exdates"), json::array{});

  const agenda::Session& cancelled = testing::session(series, "kahvit-20260421");
  events = events_of(renderer, testing::cancellation(series, cancelled, aino), context_at(1));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("recurrence_id"), "20260421T083000");
  EXPECT_EQ(events[0].at("status"), "CANCELLED");
}

TEST(RenderRecurringCalendar, ADateListIsRdatesAndWithOtherSessionsAPublish) {
  std::string text = kCoffee;
  text = text.substr(0, text.find("[[session]]")) + R"([[session]]
id = "ryhma"
title = "Ryhmäkokous"
start = 18:00:00
end = 19:30:00
dates = [2026-03-23, 2026-04-20, 2026-05-18]
on = "sunday before"

[[session]]
id = "kevatkokous"
title = "Kevätkokous"
start = 2026-04-11T10:00:00
end = 2026-04-11T14:00:00
)";
  agenda::Series series = parse(text);
  Renderer renderer{TemplateSource{}};
  const agenda::Participant& aino = testing::participant(series, "aino@example.org");
  Result<EmailMessage> message =
      renderer.render_email(testing::invitation(series, aino), context_at(0));
  ASSERT_TRUE(message) << message.error().message;
  json::value mail = inspect_email(message->bytes);
  const json::object& calendar = mail.at("calendars").as_array()[0].as_object();
  EXPECT_EQ(calendar.at("method"), "PUBLISH");
  const json::array& events = calendar.at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  const json::object& group = events[0].as_object();
  EXPECT_EQ(group.at("uid"), "ryhma.aamukahvit@kutsu.invalid");
  EXPECT_EQ(group.at("dtstart"), "20260322T180000");
  EXPECT_EQ(group.at("rdates"),
            (json::array{"2026-04-19T18:00:00+03:00", "2026-05-17T18:00:00+03:00"}));
  EXPECT_EQ(group.at("occurrences"),
            (json::array{"2026-03-22T16:00:00Z", "2026-04-19T15:00:00Z", "2026-05-17T15:00:00Z"}));
  EXPECT_EQ(events[1].at("uid"), "kevatkokous.aamukahvit@kutsu.invalid");
}

}  // namespace
}  // namespace kutsu::notifier
