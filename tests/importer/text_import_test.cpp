// The announcement importer on the seed announcement and on each written
// form the contract lists (agenda-format.md, "Plain-text announcements"):
// dates, times and timetables as an organiser reads them back.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "importer/text_import.h"

namespace kutsu::importer {
namespace {

using namespace std::chrono;
using agenda::AgendaItemKind;

ImportOptions options_today(sys_days today = sys_days{2026y / December / 7}) {
  ImportOptions options;
  options.today = today;
  return options;
}

DraftSeries imported(const std::string& text, const ImportOptions& options = options_today()) {
  auto load = import_text(text, "announcement.txt", options);
  for (const auto& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string();
  return load.draft ? *load.draft : DraftSeries{};
}

std::vector<std::string> errors(const std::string& text, const ImportOptions& options = options_today()) {
  auto load = import_text(text, "announcement.txt", options);
  EXPECT_FALSE(load.draft.has_value());
  std::vector<std::string> printed;
  for (const auto& diagnostic : load.diagnostics) printed.push_back(diagnostic.to_string());
  return printed;
}

LocalTime at(year_month_day day, int hour, int minute) {
  return local_days{day} + hours(hour) + minutes(minute);
}

TEST(TextImport, EachWrittenFormOfASessionLineGivesItsDateAndTimes) {
  struct Case {
    std::string line;
    LocalTime start;
    LocalTime end;
    std::string title;
  };
  const std::vector<Case> cases{
      {"Ke 2.2.2022 klo 18-19.30 Verkosto", at(2022y / 2 / 2, 18, 0), at(2022y / 2 / 2, 19, 30), "Verkosto"},
      {"keskiviikkona 4. helmikuuta 2026 klo 18.00–19.30 Aamukahvit", at(2026y / 2 / 4, 18, 0),
       at(2026y / 2 / 4, 19, 30), "Aamukahvit"},
      {"Keskiviikko 4.2.2026 kello 18:00—19:30: Kahvit", at(2026y / 2 / 4, 18, 0), at(2026y / 2 / 4, 19, 30),
       "Kahvit"},
      {"ons 4.2.2026 kl. 18–19.30 Morgonkaffe", at(2026y / 2 / 4, 18, 0), at(2026y / 2 / 4, 19, 30), "Morgonkaffe"},
      {"onsdag 4 februari 2026 kl. 8.30-9.15 Kaffe", at(2026y / 2 / 4, 8, 30), at(2026y / 2 / 4, 9, 15), "Kaffe"},
      {"Wed 4 February 2026, 18:00–19:30 Evening webinar", at(2026y / 2 / 4, 18, 0), at(2026y / 2 / 4, 19, 30),
       "Evening webinar"},
      {"Wednesday, February 4, 2026 at 6–7.30 pm – Evening", at(2026y / 2 / 4, 18, 0), at(2026y / 2 / 4, 19, 30),
       "Evening"},
      {"on Wednesday 4 February 2026 from 10:00 to 11:15 Morning", at(2026y / 2 / 4, 10, 0),
       at(2026y / 2 / 4, 11, 15), "Morning"},
      {"2026-02-04 klo 18-19 ISO", at(2026y / 2 / 4, 18, 0), at(2026y / 2 / 4, 19, 0), "ISO"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    const auto draft = imported(c.line + "\n");
    ASSERT_EQ(draft.sessions.size(), 1u);
    EXPECT_EQ(draft.sessions[0].start, c.start);
    ASSERT_TRUE(draft.sessions[0].end.has_value());
    EXPECT_EQ(*draft.sessions[0].end, c.end);
    EXPECT_EQ(draft.sessions[0].title, c.title);
  }
}

TEST(TextImport, TheLanguageIsTheOneTheDateAndTimeWordsAreWrittenIn) {
  EXPECT_EQ(imported("ke 4.2.2026 klo 18-19 A\n").language, agenda::Language::fi);
  EXPECT_EQ(imported("ons 4 februari 2026 kl. 18-19 A\n").language, agenda::Language::sv);
  EXPECT_EQ(imported("Wed 4 February 2026 at 18-19 A\n").language, agenda::Language::en);
  auto options = options_today();
  options.language = agenda::Language::sv;
  EXPECT_EQ(imported("ke 4.2.2026 klo 18-19 A\n", options).language, agenda::Language::sv);
}

TEST(TextImport, AYearCarriesOverToLaterDatesAndIntoTheNextYearAfterDecember) {
  const auto draft = imported("Ke 9.12.2026 klo 18-19 A\n\nKe 16.12. klo 18-19 B\n\nKe 13.1. klo 18-19 C\n");
  ASSERT_EQ(draft.sessions.size(), 3u);
  EXPECT_EQ(draft.sessions[1].start, at(2026y / 12 / 16, 18, 0));
  EXPECT_EQ(draft.sessions[2].start, at(2027y / 1 / 13, 18, 0));
}

TEST(TextImport, WithoutAnyYearTheOptionOrTheNextSuchDateFromTodayIsTaken) {
  auto options = options_today(sys_days{2026y / December / 7});
  EXPECT_EQ(imported("Su 5.12. klo 10-15 A\n", options).sessions.at(0).start, at(2027y / 12 / 5, 10, 0))
      << "5.12. has passed on 7.12.2026, so it is the next 5 December";
  EXPECT_EQ(imported("Ke 9.12. klo 10-15 A\n", options).sessions.at(0).start, at(2026y / 12 / 9, 10, 0));
  options.year = 2022;
  const auto draft = imported("Ke 16.3. klo 18-19.30 A\n", options);
  EXPECT_EQ(draft.sessions.at(0).start, at(2022y / 3 / 16, 18, 0));
}

TEST(TextImport, AWeekdayThatDoesNotMatchItsDateIsAnErrorAtTheWeekday) {
  EXPECT_EQ(errors("Intro\n\nKe 2.2.2022 klo 18-19 A\n\n  To 16.2.2022 klo 18-19 B\n"),
            std::vector<std::string>{"announcement.txt:5:3: error: the weekday does not match the date: "
                                     "16.2.2022 is a Wednesday, not a Thursday"});
}

TEST(TextImport, ADateThatDoesNotExistIsAnErrorAtTheDate) {
  EXPECT_EQ(errors("La 31.4.2026 klo 10-12 A\n"),
            std::vector<std::string>{"announcement.txt:1:4: error: there is no such date: 31.4.2026"});
}

TEST(TextImport, TextWithoutASessionLineIsAnErrorSayingWhatASessionLineIs) {
  const auto printed = errors("Tervetuloa webinaariin!\nIlmoittaudu pian.\n");
  ASSERT_EQ(printed.size(), 1u);
  EXPECT_EQ(printed[0].rfind("announcement.txt:1: error: no session found", 0), 0u) << printed[0];
}

TEST(TextImport, ATitleOnTheLineAfterTheDateIsTheSessionsTitle) {
  const auto draft = imported("Keskiviikkona 4.2.2026 klo 18–19.30\nAamukahvit\nKuvaus tässä.\n");
  ASSERT_EQ(draft.sessions.size(), 1u);
  EXPECT_EQ(draft.sessions[0].title, "Aamukahvit");
  EXPECT_EQ(draft.sessions[0].description, "Kuvaus tässä.");
}

TEST(TextImport, ALineWithADateButNoTimeIsKeptAsTextAndNoted) {
  const auto draft = imported("Ke 4.2.2026 klo 18-19 A\n1.3. alkaen uusi aika.\n");
  ASSERT_EQ(draft.sessions.size(), 1u);
  EXPECT_EQ(draft.sessions[0].description, "1.3. alkaen uusi aika.");
  ASSERT_FALSE(draft.notes.empty());
  EXPECT_NE(draft.notes.back().find("Line 2 starts with a date but gives no time"), std::string::npos);
}

TEST(TextImport, ASessionWithoutAnEndTimeGetsAnHourAndATodo) {
  const auto draft = imported("Ke 4.2.2026 klo 18 Avoin ilta\n");
  ASSERT_EQ(draft.sessions.size(), 1u);
  EXPECT_FALSE(draft.sessions[0].end.has_value());
  EXPECT_EQ(draft.sessions[0].duration, hours(1));
  ASSERT_EQ(draft.sessions[0].notes.size(), 1u);
  EXPECT_EQ(draft.sessions[0].notes[0].rfind("TODO", 0), 0u);
}

TEST(TextImport, ATimetableWithoutASessionTimeGivesTheSessionItsStartAndEnd) {
  const auto draft = imported(
      "Seminaari\n\n"
      "Pe 6.3.2026 Kevätseminaari\n"
      "8.30 Ovet avataan\n"
      "9.00 Aamukahvi\n"
      "9.30-11.00 Paneelikeskustelu\n"
      "11.00 Lounas\n"
      "12.00-13.00 Musiikkia\n"
      "13.15 Tilaisuuden päätös\n");
  ASSERT_EQ(draft.sessions.size(), 1u);
  const auto& session = draft.sessions[0];
  EXPECT_EQ(session.start, at(2026y / 3 / 6, 9, 0));
  EXPECT_EQ(session.end, at(2026y / 3 / 6, 13, 15));
  EXPECT_EQ(session.doors_open, at(2026y / 3 / 6, 8, 30));
  ASSERT_EQ(session.agenda.size(), 5u);
  EXPECT_EQ(session.agenda[0].end, minutes(9 * 60 + 30)) << "an item with its start only lasts until the next";
  EXPECT_EQ(session.agenda[0].kind, AgendaItemKind::break_);
  EXPECT_EQ(session.agenda[1].kind, AgendaItemKind::discussion);
  EXPECT_EQ(session.agenda[2].kind, AgendaItemKind::meal);
  EXPECT_EQ(session.agenda[2].end, minutes(12 * 60));
  EXPECT_EQ(session.agenda[3].kind, AgendaItemKind::culture);
  EXPECT_EQ(session.agenda[4].start, minutes(13 * 60 + 15));
  EXPECT_FALSE(session.agenda[4].end.has_value());
  EXPECT_EQ(session.agenda[4].kind, AgendaItemKind::other);
  EXPECT_EQ(draft.title, "Seminaari");
}

TEST(TextImport, SpeakersAreTakenOnlyFromSentencesThatSaySomeoneSpeaks) {
  const auto draft = imported(
      "Ke 4.2.2026 klo 18-19 Ilta\n"
      "Tervetuloa Pohjois Pohjanmaalta. Illan alustajana toimii professori Maija Meikäläinen.\n\n"
      "Wed 11 February 2026 at 18-19 Evening\n"
      "Speaker: Dr John Smith from Leeds. Hosted by Mary Jones.\n");
  ASSERT_EQ(draft.sessions.size(), 2u);
  EXPECT_EQ(draft.sessions[0].speakers, std::vector<std::string>{"Maija Meikäläinen"});
  EXPECT_EQ(draft.sessions[1].speakers, std::vector<std::string>{"Dr John Smith"});
}

TEST(TextImport, AMeetingLinkInTheTextIsTheJoinLinkAndOtherLinksAreNot) {
  const auto draft = imported(
      "Webinaarit\n\nLiity: https://zoom.us/j/123456.\n\nKe 4.2.2026 klo 18-19 A\n"
      "Ilmoittaudu: https://example.org/ilmoittautuminen\n\nKe 11.2.2026 klo 18-19 B\n"
      "Tähän erillinen linkki https://teams.microsoft.com/l/meetup-join/19%3ameeting_b\n");
  EXPECT_EQ(draft.join_url, "https://zoom.us/j/123456");
  EXPECT_EQ(draft.sessions.at(0).join_url, "") << "a registration form is not a place to join";
  EXPECT_EQ(draft.sessions.at(1).join_url, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_b");
  EXPECT_EQ(draft.sessions.at(0).location, "Zoom");
}

}  // namespace
}  // namespace kutsu::importer
