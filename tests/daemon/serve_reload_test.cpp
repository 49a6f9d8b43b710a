// SIGHUP: the real `kutsu serve` re-reads its series folder. A moved session
// gets new reminders, its old ones are superseded and those invited get an
// update; a broken file leaves the schedule running as it was and its errors
// are logged with their place.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include <date/date.h>
#include <date/tz.h>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/email_inspection.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::id_due_at;
using testing::Instant;
using testing::ServeProcess;

class ServeReloadTest : public ::testing::Test {
 protected:
  std::filesystem::path write_series(const std::vector<testing::SessionAt>& sessions,
                                     std::string_view invitation_before,
                                     const std::string& extra = "") {
    dir_.write("series.d/pian.csv", testing::participants_csv(1));
    return dir_.write("series.d/pian.toml",
                      testing::series_toml(sessions, invitation_before) + extra);
  }
  std::filesystem::path write_config() {
    return dir_.write("kutsu.toml", testing::daemon_config(dir_.path(), smtp_.url()));
  }
  std::string next_id(std::chrono::milliseconds timeout = 20s) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp_.next_message(timeout);
    return message ? testing::notification_id_of(message->data) : std::string("(none)");
  }

  kutsu::testing::SmtpServer smtp_;
  testing::TempDir dir_;
};

TEST_F(ServeReloadTest, AMovedSessionGetsNewRemindersAndTheOldOnesAreSuperseded) {
  const Instant start = testing::seconds_from_now(16s);
  // Invitation at start-14 s (≈ 2 s from now), reminder at start-5 s.
  const auto old_dues = testing::planned_dues(write_series({{"eka", start}}, "PT14S"));
  const std::string old_reminder = id_due_at(old_dues, start - 5s);
  ServeProcess serve(write_config());
  EXPECT_EQ(next_id(), id_due_at(old_dues, start - 14s));  // the invitation

  // Moved 8 s earlier: the new reminder is due in about 3 s, the old one never.
  const Instant moved = start - 8s;
  const auto new_dues = testing::planned_dues(write_series({{"eka", moved}}, "PT14S"));
  const std::string new_reminder = id_due_at(new_dues, moved - 5s);
  ASSERT_NE(new_reminder, old_reminder);
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> reloaded = serve.wait_for("series pian from", 10s);
  ASSERT_TRUE(reloaded) << serve.process().stdout_text();
  // New: the reminder for the new start and the update for the one invited.
  EXPECT_NE(reloaded->find("2 new, 0 rescheduled, 0 revived, 1 superseded"), std::string::npos)
      << *reloaded;

  // The update goes out at once: the session as it is now, SEQUENCE raised
  // so that calendars replace the invitation's event.
  std::optional<kutsu::testing::SmtpServer::Message> update = smtp_.next_message(5s);
  ASSERT_TRUE(update) << serve.process().stdout_text();
  const std::string update_id = testing::notification_id_of(update->data);
  EXPECT_FALSE(old_dues.contains(update_id) || new_dues.contains(update_id)) << update_id;
  const boost::json::value mail = kutsu::testing::inspect_email(update->data);
  const std::string calendar = kutsu::testing::part_text(mail, "text/calendar");
  // The text says what changed: the old time, struck off.
  const std::string text = kutsu::testing::part_text(mail, "text/plain");
  EXPECT_NE(text.find("tilaisuuden aika on muuttunut"), std::string::npos) << text;
  const auto old_local = date::make_zoned("Europe/Helsinki", start).get_local_time();
  const std::size_t previous = text.find("Aiempi aika: ");
  ASSERT_NE(previous, std::string::npos) << text;
  const std::string previous_line = text.substr(previous, text.find('\n', previous) - previous);
  // Finnish times have no leading zero: "klo 9.05".
  const date::hh_mm_ss old_time{old_local - date::floor<date::days>(old_local)};
  const std::string old_clock =
      std::to_string(old_time.hours().count()) + "." + date::format("%M", old_local);
  EXPECT_NE(previous_line.find("klo " + old_clock), std::string::npos) << previous_line;
  EXPECT_NE(calendar.find("SEQUENCE:1\n"), std::string::npos) << calendar;
  EXPECT_NE(calendar.find("METHOD:REQUEST\n"), std::string::npos) << calendar;
  EXPECT_NE(
      calendar.find("DTSTART;TZID=Europe/Helsinki:" +
                    date::format("%Y%m%dT%H%M%S",
                                 date::make_zoned("Europe/Helsinki", moved).get_local_time())),
      std::string::npos)
      << calendar;

  EXPECT_EQ(next_id(), new_reminder);
  EXPECT_GE(std::chrono::system_clock::now(), moved - 5s);
  // The old reminder's moment passes in silence.
  const auto until_old = std::chrono::duration_cast<std::chrono::milliseconds>(
      start - 5s + 1s - std::chrono::system_clock::now());
  EXPECT_EQ(smtp_.next_message(std::max(until_old, 100ms)), std::nullopt);
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

TEST_F(ServeReloadTest, ABrokenFileKeepsThePreviousScheduleAndItsErrorsAreLogged) {
  const Instant start = testing::seconds_from_now(8s);
  const auto dues = testing::planned_dues(write_series({{"eka", start}}, "PT6S"));
  ServeProcess serve(write_config());

  // An unknown key on the last line of the file.
  const std::string good = testing::series_toml({{"eka", start}}, "PT6S");
  const int last_line = static_cast<int>(std::count(good.begin(), good.end(), '\n')) + 1;
  write_series({{"eka", start}}, "PT6S", "otsikko = \"kirjoitusvirhe\"\n");
  serve.process().send_signal(SIGHUP);
  std::optional<std::string> error = serve.wait_for("error", 10s);
  ASSERT_TRUE(error) << serve.process().stdout_text();
  EXPECT_NE(error->find("pian.toml:" + std::to_string(last_line) + ":1: error: "),
            std::string::npos)
      << *error;
  std::optional<std::string> kept = serve.wait_for("not loaded", 10s);
  ASSERT_TRUE(kept) << serve.process().stdout_text();
  EXPECT_NE(kept->find("its previous version stays in force"), std::string::npos) << *kept;

  // The schedule of the good version still runs: invitation, then reminder.
  EXPECT_EQ(next_id(), id_due_at(dues, start - 6s));
  EXPECT_EQ(next_id(), id_due_at(dues, start - 5s));
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
