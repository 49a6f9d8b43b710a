// A participant with their own time zone (the CSV's `timezone` column)
// reads every time of a mail in it, with the series zone's reading beside
// the session's: John in New York gets the Helsinki webinar at 11:00 on
// 2 Feb (seven hours apart) and the 26 March seminar from 04:00 (six:
// America moved its clocks on 13 March, Europe only on 27 March). The
// calendar part keeps the series zone; calendar clients convert it.
#include "notifier/renderer.h"

#include <gtest/gtest.h>

#include <date/tz.h>

#include <string>

#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::inspect_email;
using kutsu::testing::part_text;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

class RenderParticipantZone : public ::testing::Test {
 protected:
  RenderParticipantZone() {
    for (auto& person : series_.participants) {
      if (person.email == "john.smith@example.org") person.zone = date::locate_zone("America/New_York");
    }
  }

  boost::json::value inspect(const model::Notification& notification) {
    Result<EmailMessage> message = renderer_.render_email(notification, render_context());
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    return inspect_email(message->bytes);
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
};

TEST_F(RenderParticipantZone, TimesAreInThePersonsZoneWithTheSeriesZoneBeside) {
  const auto& john = participant(series_, "john.smith@example.org");
  const auto mail = inspect(testing::reminder(series_, session(series_, "verkosto"), john));
  const std::string text = part_text(mail, "text/plain");
  EXPECT_NE(text.find("Wed 2 Feb 2022, 11:00–12:30 New York (Wed 2 Feb 2022, 18:00–19:30 Helsinki)"),
            std::string::npos)
      << text;
  EXPECT_NE(part_text(mail, "text/html").find("11:00–12:30 New York"), std::string::npos);
}

TEST_F(RenderParticipantZone, TheTimetableFollowsBothDaylightSavingChanges) {
  const auto& john = participant(series_, "john.smith@example.org");
  const auto mail = inspect(testing::reminder(series_, session(series_, "sanoista-teoiksi"), john));
  const std::string text = part_text(mail, "text/plain");
  EXPECT_NE(text.find("Sat 26 Mar 2022, 04:00–09:00 New York (Sat 26 Mar 2022, 10:00–15:00 Helsinki)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("04:00–04:20"), std::string::npos) << "the first timetable item, 10.00 in Helsinki";
  EXPECT_NE(text.find("03:45"), std::string::npos) << "doors at 9.45 in Helsinki";
}

TEST_F(RenderParticipantZone, OthersStillReadTheSeriesZoneAndTheCalendarKeepsIt) {
  const auto& john = participant(series_, "john.smith@example.org");
  const auto& aino = participant(series_, "aino.virtanen@example.org");
  const auto& verkosto = session(series_, "verkosto");
  const auto johns = inspect(testing::reminder(series_, verkosto, john));
  const auto ainos = inspect(testing::reminder(series_, verkosto, aino));
  const std::string text = part_text(ainos, "text/plain");
  EXPECT_NE(text.find("ke 2.2.2022 klo 18.00–19.30"), std::string::npos) << text;
  EXPECT_EQ(text.find("Helsinki"), std::string::npos) << "no zone beside times in the series zone";
  const auto invitation = inspect(testing::invitation(series_, john));
  const std::string calendar = part_text(invitation, "text/calendar");
  EXPECT_NE(calendar.find("DTSTART;TZID=Europe/Helsinki:20220202T180000"), std::string::npos) << calendar;
}

}  // namespace
}  // namespace kutsu::notifier
