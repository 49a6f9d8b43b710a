// The service library with a ManualClock, a real SQLite outbox in a
// temporary folder and fake deliveries: the reload diff, a held series, the
// misfire rule at a reload, shutdown with deliveries in flight, reloads
// asked for at once, and sending while a large reload runs.
#include "service/service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/detail/database.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/service/service_harness.h"

namespace kutsu::service {
namespace {

using namespace std::chrono_literals;
using store::NotificationState;
using testing::participants;
using testing::series_text;
using testing::ServiceHarness;

// 2030-01-10 10:00 in Helsinki (UTC+2 in winter).
const testing::Instant kStart = std::chrono::sys_days{std::chrono::year{2030} / 1 / 10} + 8h;

std::vector<std::string> ids_of_kind(const LoadedSeries& series, std::string_view kind) {
  std::vector<std::string> ids;
  for (const model::Notification& notification : series.plan.notifications) {
    if (model::to_string(notification.kind) == kind) ids.push_back(notification.id.to_string());
  }
  return ids;
}

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() : h_(kStart) {}

  std::size_t sent_to_count(const std::set<std::string>& ids) const {
    return static_cast<std::size_t>(
        std::count_if(h_.email.sent.begin(), h_.email.sent.end(),
                      [&](const notifier::EmailMessage& m) { return ids.contains(m.notification_id); }));
  }

  ServiceHarness h_;
};

TEST_F(ServiceTest, SendsTheInvitationWhenItIsDue) {
  h_.write("a.csv", participants(2));
  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00", {"2030-01-20T18:00:00"}));
  Service& service = h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 2; }));
  std::set<std::string> to;
  for (const notifier::EmailMessage& message : h_.email.sent) to.insert(message.envelope_to);
  EXPECT_EQ(to, (std::set<std::string>{"p1@example.org", "p2@example.org"}));
  EXPECT_EQ(service.catalog().all().size(), 1u);
  EXPECT_TRUE(service.last_load().ok());
}

TEST_F(ServiceTest, AReloadReplansAndAMovedSessionSendsUpdatesOnly) {
  h_.write("a.csv", participants(2));
  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00", {"2030-01-20T18:00:00"}));
  Service& service = h_.start_service();
  for (const std::string& id : ids_of_kind(*service.catalog().series("a"), "invitation")) {
    ASSERT_TRUE(h_.run_until([&] { return h_.state_of(id) == NotificationState::sent; }));
  }
  const std::vector<std::string> old_reminders =
      ids_of_kind(*service.catalog().series("a"), "reminder");
  ASSERT_EQ(old_reminders.size(), 2u);

  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00", {"2030-01-21T18:00:00"}));
  model::LoadReport report = h_.reload_and_wait();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.files.size(), 1u);
  EXPECT_TRUE(report.files[0].changed);
  for (const std::string& id : old_reminders) {
    EXPECT_EQ(h_.state_of(id), NotificationState::superseded) << id;
  }
  const LoadedSeries& moved = *service.catalog().series("a");
  for (const std::string& id : ids_of_kind(moved, "reminder")) {
    EXPECT_EQ(h_.state_of(id), NotificationState::pending) << id;
  }
  // The invitation went out before the move: one update each, due a second
  // after the invitation (so, at once).
  h_.advance(1min);
  ASSERT_EQ(moved.updates.size(), 2u);
  EXPECT_EQ(moved.sequences.at("s1"), 1);
  std::set<std::string> updates;
  for (const model::Notification& update : moved.updates) updates.insert(update.id.to_string());
  ASSERT_TRUE(h_.run_until([&] { return sent_to_count(updates) == 2; }));
  EXPECT_EQ(h_.email.sent.size(), 4u);
}

TEST_F(ServiceTest, ABrokenFileKeepsItsVersionAndASeriesKnownOnlyToTheOutboxIsHeld) {
  h_.write("a.csv", participants(1));
  h_.write("a.toml", series_text("a", "2030-01-10T12:00:00", {"2030-01-20T18:00:00"}));
  h_.write("b.csv", participants(1));
  const std::string b = series_text("b", "2030-01-10T12:00:00", {"2030-01-20T18:00:00"});
  h_.write("b.toml", b);
  h_.start_service();
  h_.stop_service();

  // Restarted with b broken: b is held; its invitation (due 12:00) waits.
  h_.write("b.toml", b + "typo = \n");
  Service& service = h_.start_service();
  ASSERT_EQ(service.catalog().all().size(), 1u);
  ASSERT_FALSE(service.last_load().ok());
  h_.advance(2h + 1min);
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 1; }));
  EXPECT_EQ(h_.email.sent[0].notification_id,
            ids_of_kind(*service.catalog().series("a"), "invitation").at(0));

  // Broken again at a reload: a keeps the version in force.
  h_.write("a.toml", "broken = \n");
  model::LoadReport report = h_.reload_and_wait();
  ASSERT_EQ(report.files.size(), 2u);
  EXPECT_TRUE(report.files[0].kept_previous);
  EXPECT_NE(service.catalog().series("a"), nullptr);

  // b fixed a minute after its invitation was due: within the misfire grace, sent.
  h_.write("b.toml", b);
  report = h_.reload_and_wait();
  EXPECT_TRUE(report.files[1].ok);
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 2; }));
  EXPECT_EQ(h_.email.sent[1].notification_id,
            ids_of_kind(*service.catalog().series("b"), "invitation").at(0));
}

TEST_F(ServiceTest, AReminderAReloadPutsPastTheGraceIsMissedAndTheRestStay) {
  h_.write("a.csv", participants(1));
  const std::string a = series_text("a", "2030-01-10T10:00:00", {"2030-01-10T18:00:00"});
  h_.write("a.toml", a);
  Service& service = h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 1; }));
  // A reminder 9 hours before an 18:00 session is due 09:00: an hour ago.
  std::string more = a;
  more.replace(more.find("[[session]]"), 0, "[[reminder]]\nbefore = \"PT9H\"\n\n");
  h_.write("a.toml", more);
  ASSERT_TRUE(h_.reload_and_wait().ok());
  const LoadedSeries& series = *service.catalog().series("a");
  int missed = 0, pending = 0;
  for (const std::string& id : ids_of_kind(series, "reminder")) {
    const NotificationState state = h_.state_of(id);
    missed += state == NotificationState::missed;
    pending += state == NotificationState::pending;
  }
  EXPECT_EQ(missed, 1);
  EXPECT_EQ(pending, 1);
  EXPECT_EQ(h_.email.sent.size(), 1u);
}

TEST_F(ServiceTest, ReloadsAskedForAtOnceRunOneAfterTheOtherAndMerge) {
  h_.write("a.csv", participants(1));
  h_.write("a.toml", series_text("a", "2030-01-11T10:00:00", {"2030-01-20T18:00:00"}));
  Service& service = h_.start_service();
  std::vector<model::LoadReport> reports;
  auto keep = [&](const model::LoadReport& report) { reports.push_back(report); };
  EXPECT_EQ(service.reload(keep), model::ReloadQueued::started);
  EXPECT_EQ(service.reload(keep), model::ReloadQueued::waiting);
  EXPECT_EQ(service.reload(keep), model::ReloadQueued::merged);
  EXPECT_EQ(service.reload(keep), model::ReloadQueued::merged);
  ASSERT_TRUE(h_.run_until([&] { return reports.size() == 4; }));
  EXPECT_EQ(service.reloader().loads(), 2u);
  EXPECT_EQ(service.reloader().merged(), 2u);
  EXPECT_FALSE(service.reloader().running());
}

TEST_F(ServiceTest, StopWaitsForSendsInFlightAndARestartSendsTheRestAgain) {
  h_.tuning.dispatcher.stop_grace = 100ms;
  h_.write("a.csv", participants(3));
  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00", {"2030-01-20T18:00:00"}));
  h_.email.hold = true;
  Service& service = h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 3; }));
  const std::vector<std::string> invitations =
      ids_of_kind(*service.catalog().series("a"), "invitation");
  h_.stop_service();  // the relay never answered within the grace
  h_.email.release_all(AttemptResult::sent(250, "too late"));  // dropped: no owner

  h_.email.hold = false;
  Service& again = h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 6; }));
  for (const std::string& id : invitations) {
    ASSERT_TRUE(h_.run_until([&] { return h_.state_of(id) == NotificationState::sent; }));
  }
  EXPECT_EQ(again.catalog().all().size(), 1u);
}

// A restart plans every series again. An unchanged plan (its digest stored
// with the last one applied) is not compared with the outbox, yet the
// misfire rule still finds what came due while the daemon was down; a
// changed one (here only the participants CSV) is compared in full.
TEST_F(ServiceTest, ARestartMissesWhatCameDueMeanwhileAndComparesOnlyAChangedPlan) {
  h_.write("a.csv", participants(2));
  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00",
                                 {"2030-01-20T18:00:00", "2030-01-22T18:00:00"}));
  Service& first = h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 2; }));  // the invitations
  std::string later_reminder;  // p1's, before the second session
  for (const model::Notification& n : first.catalog().series("a")->plan.notifications) {
    if (n.kind == model::NotificationKind::reminder && n.session->id == "s2" &&
        n.recipient == "p1@example.org") {
      later_reminder = n.id.to_string();
    }
  }
  ASSERT_FALSE(later_reminder.empty());
  h_.stop_service();
  // Nothing but a new plan changes a due; this one shows whether the
  // restart compared the plan.
  const std::filesystem::path db = store::outbox_file(h_.config().daemon.state_dir);
  store::detail::Database::open(db).exec("UPDATE notifications SET due = due + 60 WHERE id = '" +
                                         later_reminder + "'");

  // Down until half an hour into the first session (18:30 in Helsinki):
  // its reminders (17:00) came due meanwhile and are missed.
  h_.advance(std::chrono::sys_days{std::chrono::year{2030} / 1 / 20} + 16h + 30min - kStart);
  Service& second = h_.start_service();
  auto counts = [&] {
    Result<store::StateCounts> found = h_.service().outbox().state_counts(std::string_view("a"));
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : store::StateCounts{};
  };
  EXPECT_EQ(counts()[NotificationState::missed], 2);
  EXPECT_EQ(counts()[NotificationState::pending], 2);
  EXPECT_EQ(counts()[NotificationState::sent], 2);
  ASSERT_TRUE(second.last_load().ok());
  Result<std::optional<store::NotificationDetail>> moved = second.outbox().find(later_reminder);
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->row.due, std::chrono::sys_days{std::chrono::year{2030} / 1 / 22} + 15h + 60s)
      << "the unchanged plan was compared with the outbox";
  h_.stop_service();

  // A third participant: the plan changes, the due is planned anew, and the
  // newcomer's invitation (late, but the series has not ended) goes out.
  h_.write("a.csv", participants(3));
  h_.start_service();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 3; }));
  EXPECT_EQ(h_.email.sent[2].envelope_to, "p3@example.org");
  EXPECT_EQ(counts()[NotificationState::missed], 3);  // and its reminder for the first session
  EXPECT_EQ(counts()[NotificationState::pending], 3);
  Result<std::optional<store::NotificationDetail>> replanned =
      h_.service().outbox().find(later_reminder);
  ASSERT_TRUE(replanned.ok() && replanned->has_value());
  EXPECT_EQ((*replanned)->row.due, std::chrono::sys_days{std::chrono::year{2030} / 1 / 22} + 15h);
}

// The dispatcher sends from the catalog in force while a reload of a large
// series parses, plans and writes on its worker.
TEST_F(ServiceTest, ANotificationDueDuringALargeReloadIsSentWhileItRuns) {
  h_.write("pieni.csv", participants(1));
  h_.write("pieni.toml", series_text("pieni", "2030-01-10T10:01:00", {"2030-01-20T18:00:00"}));
  std::vector<std::string> starts;
  for (int day = 1; day <= 28; ++day) {
    for (int hour : {9, 12, 15, 18}) {
      char start[32];
      std::snprintf(start, sizeof start, "2030-02-%02dT%02d:00:00", day, hour);
      starts.emplace_back(start);
    }
  }
  h_.write("suuri.csv", participants(400));
  h_.write("suuri.toml", series_text("suuri", "2030-01-31T10:00:00", starts));
  Service& service = h_.start_service();
  EXPECT_EQ(service.catalog().series("suuri")->plan.notifications.size(), 400u * (1 + 112));

  // Every session moves an hour: 44,800 reminders superseded, as many new.
  for (std::string& start : starts) start.replace(11, 2, std::to_string(std::stoi(start.substr(11, 2)) + 1));
  h_.write("suuri.toml", series_text("suuri", "2030-01-31T10:00:00", starts));
  bool running_at_send = false;
  h_.email.on_send = [&](const notifier::EmailMessage&) {
    running_at_send = service.reloader().running();
  };
  // Shared with the callback: a failed assertion leaves the test while the
  // reload still runs, and the answer must not land in a dead local.
  auto report = std::make_shared<std::optional<model::LoadReport>>();
  service.reload([report](const model::LoadReport& done) { *report = done; });
  h_.advance(1min);  // pieni's invitation is due now
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 1; }));
  EXPECT_TRUE(running_at_send) << "the reload had finished before the invitation was sent";
  // The worker runs at nice 10: on a machine busy with other tests it gets a
  // small share of a core, and 89,600 row changes take minutes, not seconds.
  ASSERT_TRUE(h_.run_until([&] { return report->has_value(); }, 240s));
  EXPECT_TRUE((*report)->ok());
  Result<store::StateCounts> counts = service.outbox().state_counts(std::string_view("suuri"));
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[NotificationState::superseded], 44'800);
  EXPECT_EQ((*counts)[NotificationState::pending], 45'200);
}

TEST_F(ServiceTest, ACouncilMeetingLeavingTheCalendarCancelsThatSundaysMeetingAfterTheDelay) {
  h_.config().daemon.cancel_delay = std::chrono::minutes{10};
  h_.write("ryhma.csv", participants(2));
  const auto write = [&](const std::string& ics_events) {
    h_.write("valtuusto.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" +
                                  ics_events + "END:VCALENDAR\r\n");
  };
  const auto event = [](const std::string& uid, const std::string& day) {
    return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20300101T000000Z\r\n"
           "DTSTART;VALUE=DATE:" + day + "\r\nSUMMARY:Valtuusto\r\nEND:VEVENT\r\n";
  };
  write(event("a", "20300128") + event("b", "20300225"));
  h_.write("ryhma.toml", R"(id = "ryhma"
title = "Ryhmä"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "ryhma.csv"

[invitation]
send_at = 2030-01-10T10:01:00

[[session]]
id = "kokous"
title = "Ryhmän kokous"
start = 18:00:00
end = 19:30:00
dates = "valtuusto.ics"
on = "sunday before"
)");
  Service& service = h_.start_service();
  h_.advance(1min);
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 2; }));

  // The February council meeting leaves the calendar.
  write(event("a", "20300128"));
  model::LoadReport report = h_.reload_and_wait();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(service.catalog().series("ryhma")->series.sessions.size(), 1u);
  h_.advance(9min);
  ASSERT_FALSE(h_.run_until([&] { return h_.email.sent.size() > 2; }, 300ms));
  h_.advance(1min);
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 4; }));
  for (std::size_t i = 2; i < 4; ++i) {
    const boost::json::value mail = kutsu::testing::inspect_email(h_.email.sent[i].bytes);
    const boost::json::object& calendar = mail.at("calendars").as_array().at(0).as_object();
    EXPECT_EQ(calendar.at("method"), "CANCEL");
    const boost::json::array& events = calendar.at("events").as_array();
    ASSERT_EQ(events.size(), 1u);
    // Sunday 24.2.2030 of the group's one event.
    EXPECT_EQ(events[0].at("uid"), "kokous.ryhma@kutsu.invalid");
    EXPECT_EQ(events[0].at("recurrence_id"), "20300224T180000");
    EXPECT_EQ(events[0].at("recurrence_id_tzid"), "Europe/Helsinki");
  }
}

TEST_F(ServiceTest, TheHorizonMovesAsDaysPassWithoutARestartOrTouchingWhatWasPlanned) {
  h_.config().daemon.plan_horizon = std::chrono::days{28};
  h_.tuning.horizon_check = 20ms;
  h_.write("kahvit.csv", participants(2));
  h_.write("kahvit.toml", R"(id = "kahvit"
title = "Aamukahvit"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "kahvit.csv"

[[reminder]]
before = "PT1H"

[[session]]
id = "kahvi"
title = "Aamukahvit"
start = 2030-01-15T08:30:00
duration = "PT45M"
repeat = "FREQ=WEEKLY;BYDAY=TU"
)");
  Service& service = h_.start_service();
  auto session_ids = [&] {
    std::vector<std::string> ids;
    for (const agenda::Session& s : service.catalog().series("kahvit")->series.sessions) {
      ids.push_back(s.id);
    }
    return ids;
  };
  // 10.1. + 28 days = 7.2.: four Tuesdays.
  const std::vector<std::string> before = session_ids();
  EXPECT_EQ(before, (std::vector<std::string>{"kahvi-20300115", "kahvi-20300122", "kahvi-20300129",
                                              "kahvi-20300205"}));
  const std::vector<std::string> first_reminders = ids_of_kind(*service.catalog().series("kahvit"),
                                                               "reminder");
  ASSERT_EQ(first_reminders.size(), 8u);

  // Thirty days later (the first reminders are due meanwhile and sent), the
  // horizon reaches 9.3.: the next Tuesdays are planned, no restart.
  h_.advance(std::chrono::days{30});
  ASSERT_TRUE(h_.run_until([&] { return session_ids().size() > before.size(); }));
  EXPECT_EQ(session_ids(), (std::vector<std::string>{"kahvi-20300115", "kahvi-20300122",
                                                     "kahvi-20300129", "kahvi-20300205",
                                                     "kahvi-20300212", "kahvi-20300219",
                                                     "kahvi-20300226", "kahvi-20300305"}));
  Result<store::StateCounts> counts = service.outbox().state_counts(std::string_view("kahvit"));
  ASSERT_TRUE(counts.ok());
  // Nothing already planned was superseded or planned anew: the first
  // reminders keep their ids (and went out), the new ones are pending.
  EXPECT_EQ((*counts)[NotificationState::superseded], 0);
  EXPECT_EQ((*counts)[NotificationState::pending] + (*counts)[NotificationState::sent] +
                (*counts)[NotificationState::sending] + (*counts)[NotificationState::missed],
            16);
  const std::vector<std::string> after = ids_of_kind(*service.catalog().series("kahvit"), "reminder");
  for (const std::string& id : first_reminders) {
    EXPECT_NE(std::find(after.begin(), after.end(), id), after.end()) << id;
    EXPECT_NE(h_.state_of(id), NotificationState::superseded) << id;
  }
}

}  // namespace
}  // namespace kutsu::service
