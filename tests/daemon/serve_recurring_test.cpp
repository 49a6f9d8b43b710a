// A recurring session through the real `kutsu serve`: the invitation's
// calendar, read by python3-icalendar, carries the RRULE and EXDATE as
// written; moving one occurrence after the invitation went out sends exactly
// one update for that occurrence (its RECURRENCE-ID, SEQUENCE 1) to each
// invited person, and no other occurrence's reminders are touched.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include <date/date.h>
#include <date/tz.h>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/fixtures/http_client.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;
namespace json = boost::json;

date::local_seconds helsinki(Instant instant) {
  return date::make_zoned("Europe/Helsinki", instant).get_local_time();
}

std::string toml_time(date::local_seconds local) { return date::format("%FT%T", local); }

// A weekly session starting in an hour, four times, the third left out; the
// invitation due in two seconds; a reminder 30 minutes before each.
std::string weekly_series(date::local_seconds first, date::local_seconds send_at,
                          const std::string& occurrence = "") {
  const date::local_days day = date::floor<date::days>(first);
  return "id = \"kahvit\"\n"
         "title = \"Aamukahvit\"\n"
         "timezone = \"Europe/Helsinki\"\n"
         "organiser = { name = \"Verkosto\", email = \"verkosto@example.org\" }\n"
         "participants = \"kahvit.csv\"\n"
         "join_url = \"https://example.org/zoom/kahvit\"\n\n"
         "[invitation]\nsend_at = " + toml_time(send_at) + "\n\n"
         "[[reminder]]\nbefore = \"PT30M\"\n\n"
         "[[session]]\nid = \"kahvi\"\ntitle = \"Aamukahvit\"\n"
         "start = " + toml_time(first) + "\nduration = \"PT45M\"\n"
         "repeat = \"FREQ=WEEKLY;COUNT=4\"\n"
         "except = [" + date::format("%F", day + date::days{14}) + "]\n" + occurrence;
}

TEST(ServeRecurring, MovingOneOccurrenceSendsOneUpdateForItAndLeavesTheOthers) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const date::local_seconds first = helsinki(testing::seconds_from_now(1h));
  const date::local_seconds send_at = helsinki(testing::seconds_from_now(2s));
  const date::local_days day = date::floor<date::days>(first);
  dir.write("series.d/kahvit.csv", testing::participants_csv(3));
  dir.write("series.d/kahvit.toml", weekly_series(first, send_at));
  dir.write("token", "recurring-token\n");
  ServeProcess serve(dir.write(
      "kutsu.toml", testing::daemon_config(dir.path(), smtp.url(), "token_file = \"token\"\n")));

  // The invitation: one event, the rule as written, the left-out week as EXDATE.
  std::map<std::string, int> invited;
  for (int i = 0; i < 3; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(20s);
    ASSERT_TRUE(message) << serve.process().stdout_text();
    ++invited[message->rcpt_tos.at(0)];
    const json::value mail = kutsu::testing::inspect_email(message->data);
    const json::array& events = mail.at("calendars").as_array().at(0).at("events").as_array();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("rrule"), "FREQ=WEEKLY;COUNT=4");
    EXPECT_EQ(events[0].at("dtstart"), json::string(date::format("%Y%m%dT%H%M%S", first)));
    ASSERT_EQ(events[0].at("exdates").as_array().size(), 1u);
    EXPECT_EQ(std::string(events[0].at("exdates").as_array()[0].as_string()).substr(0, 19),
              toml_time(first + date::days{14}));
    EXPECT_EQ(events[0].at("occurrences").as_array().size(), 3u);
  }
  EXPECT_EQ(invited.size(), 3u);

  // The second week moves an hour later (earlier, from 23:00 on: an
  // occurrence's start is a time of its day).
  const date::local_days second = day + date::days{7};
  const auto shift = first - day < 23h ? 1h : -1h;
  const date::local_seconds moved = first + date::days{7} + shift;
  dir.write("series.d/kahvit.toml",
            weekly_series(first, send_at,
                          "[[session.occurrence]]\ndate = " + date::format("%F", second) +
                              "\nstart = " + date::format("%T", moved - second) + "\n"));
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> stored = serve.wait_for("series kahvit from", 10s);
  ASSERT_TRUE(stored) << serve.process().stdout_text();
  // Only the moved week changes: its 3 reminders superseded, 3 new ones and
  // 3 updates; nothing rescheduled elsewhere.
  EXPECT_NE(stored->find("6 new, 0 rescheduled, 0 revived, 3 superseded"), std::string::npos)
      << *stored;

  std::map<std::string, int> updated;
  for (int i = 0; i < 3; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(10s);
    ASSERT_TRUE(message) << serve.process().stdout_text();
    ++updated[message->rcpt_tos.at(0)];
    const json::value mail = kutsu::testing::inspect_email(message->data);
    const json::object& calendar = mail.at("calendars").as_array().at(0).as_object();
    EXPECT_EQ(calendar.at("method"), "REQUEST");
    const json::array& events = calendar.at("events").as_array();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("uid"), "kahvi.kahvit@kutsu.invalid");
    EXPECT_EQ(events[0].at("recurrence_id"),
              json::string(date::format("%Y%m%dT%H%M%S", first + date::days{7})));
    EXPECT_EQ(events[0].at("dtstart"), json::string(date::format("%Y%m%dT%H%M%S", moved)));
    EXPECT_EQ(events[0].at("sequence"), 1);
    EXPECT_EQ(events[0].at("rrule"), nullptr);
  }
  EXPECT_EQ(updated, invited);
  EXPECT_EQ(smtp.next_message(2s), std::nullopt);

  // The admin API lists the occurrences like sessions, each naming its rule.
  kutsu::testing::HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));
  Result<kutsu::testing::HttpReply> reply = client.get(
      "/api/v1/series/kahvit", kutsu::testing::HttpClient::bearer("recurring-token"));
  ASSERT_TRUE(reply) << reply.error().message;
  ASSERT_EQ(reply->status, 200) << reply->body;
  const json::value series = json::parse(reply->body);
  const json::array& sessions = series.at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 3u);
  const std::string second_id = "kahvi-" + date::format("%Y%m%d", second);
  for (const json::value& session : sessions) {
    EXPECT_EQ(session.at("recurring"), "kahvi");
    EXPECT_EQ(session.at("changed"), session.at("id") == json::string(second_id));
  }
  EXPECT_EQ(sessions[1].at("planned_date"), json::string(date::format("%F", second)));
  const json::array& rules = series.at("recurring").as_array();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].at("repeat"), "FREQ=WEEKLY;COUNT=4");
  EXPECT_EQ(rules[0].at("occurrences").as_array().size(), 3u);

  // `kutsu status` groups them too.
  kutsu::testing::RunResult status = testing::run_kutsu(
      {"status", "--url", "http://127.0.0.1:" + std::to_string(serve.admin_port()), "--token-file",
       (dir.path() / "token").string()});
  EXPECT_NE(status.out.find("3 sessions)\n    recurring: kahvi (3 dates)\n"), std::string::npos)
      << status.out << status.err;
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
