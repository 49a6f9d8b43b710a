// The bundled example (examples/aluevaltuutetut-2022.*): the seed
// announcement transcribed; it must load cleanly and say what the seed says.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "agenda/participants_csv.h"
#include "agenda/series_parser.h"

namespace kutsu::agenda {
namespace {

const std::filesystem::path kExample =
    std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "aluevaltuutetut-2022.toml";

std::string local(const WrittenTime& time) { return date::format("%FT%T", time.local); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ExampleSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    SeriesLoad load = load_series(kExample);
    for (const Diagnostic& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string();
    ASSERT_TRUE(load.series.has_value());
    series_ = std::move(*load.series);
  }
  Series series_;
};

TEST_F(ExampleSeries, SeriesHeader) {
  EXPECT_EQ(series_.id, "aluevaltuutetut-2022");
  EXPECT_EQ(series_.timezone, "Europe/Helsinki");
  EXPECT_EQ(series_.language, Language::fi);
  EXPECT_EQ(series_.organiser.email, "webinaarit@example.org");
  EXPECT_TRUE(series_.join_url->starts_with("https://example.org/zoom/"));
  EXPECT_TRUE(series_.description.starts_with("Kuinka huolehditaan siitä, että"));
  EXPECT_NE(series_.description.find("varapuheenjohtaja Anne Huotari sekä vaihtuvia"),
            std::string::npos);
  EXPECT_TRUE(series_.description.ends_with("lähetetään aluevaltuutetuille ja varajäsenille."));
  EXPECT_EQ(series_.audience, (std::vector<std::string>{"aluevaltuutettu", "varavaltuutettu"}));
  EXPECT_TRUE(series_.webhooks.empty());
  ASSERT_TRUE(series_.invitation && series_.invitation->send_at);
  EXPECT_EQ(local(*series_.invitation->send_at), "2022-01-19T09:00:00");
  ASSERT_EQ(series_.reminders.size(), 3u);
  EXPECT_EQ(series_.reminders[0].before.canonical(), "P7D");
  EXPECT_EQ(series_.reminders[1].before.canonical(), "P1D");
  EXPECT_EQ(series_.reminders[1].at, std::chrono::hours(9));
  EXPECT_EQ(series_.reminders[2].before.canonical(), "PT1H");
}

TEST_F(ExampleSeries, FourEveningWebinarsAndTheSeminarDay) {
  ASSERT_EQ(series_.sessions.size(), 5u);
  std::vector<std::string> starts;
  for (const Session& session : series_.sessions) {
    starts.push_back(local(session.start) + "/" + local(session.end));
    EXPECT_EQ(session.location, "Zoom") << session.id;
    EXPECT_EQ(session.speakers.at(0), "Anne Huotari") << session.id;
    EXPECT_FALSE(session.cancelled);
    EXPECT_FALSE(session.reminders.has_value());
  }
  EXPECT_EQ(starts, (std::vector<std::string>{
                        "2022-02-02T18:00:00/2022-02-02T19:30:00",
                        "2022-02-16T18:00:00/2022-02-16T19:30:00",
                        "2022-02-23T18:00:00/2022-02-23T19:30:00",
                        "2022-03-16T18:00:00/2022-03-16T19:30:00",
                        "2022-03-26T10:00:00/2022-03-26T15:00:00",
                    }));
  EXPECT_EQ(series_.sessions[0].title, "Valtakunnallisen yhteistyön käynnistäminen");
  EXPECT_TRUE(series_.sessions[0].description.ends_with(
      "viranhaltijoiden välisestä vallanjaosta. Alustus ja keskustelua aiheesta."));
  EXPECT_EQ(series_.sessions[1].speakers,
            (std::vector<std::string>{"Anne Huotari", "Marianne Riekki"}));
  EXPECT_EQ(series_.sessions[3].title, "Pelastustoimi");
  const Session& seminar = series_.sessions[4];
  EXPECT_EQ(seminar.title, "”Sanoista teoiksi” – Vasemmiston aluevaalilupausten toteuttaminen");
  EXPECT_EQ(seminar.speakers,
            (std::vector<std::string>{"Anne Huotari", "Sannamari Sala", "Kati Jetsu"}));
  ASSERT_TRUE(seminar.doors_open.has_value());
  EXPECT_EQ(local(*seminar.doors_open), "2022-03-26T09:45:00");
}

TEST_F(ExampleSeries, SeminarTimetableLineByLine) {
  std::vector<std::string> timetable;
  for (const AgendaItem& item : series_.sessions.at(4).agenda) {
    std::string line = date::format("%H:%M", item.start.local);
    if (item.end) line += "-" + date::format("%H:%M", item.end->local);
    timetable.push_back(line + " " + std::string(to_string(item.kind)) + " " + item.title);
  }
  EXPECT_EQ(timetable,
            (std::vector<std::string>{
                "10:00-10:20 talk Tilaisuuden avaus, puhuja tarkentuu myöhemmin",
                "10:20-10:50 talk Hyvinvointistrategiaprosessi, miten saamme omat tavoitteemme "
                "strategioihin",
                "10:50-11:00 break Tauko",
                "11:00-12:00 discussion Pienryhmäkeskustelu",
                "12:00-12:45 meal Lounastauko",
                "12:45-13:00 culture Kulttuuriohjelmaa",
                "13:00-13:30 talk Minkälaista henkilöstöpolitiikkaa hyvinvointialueilla tehdään? "
                "Miten vastataan työvoimapulaan?",
                "13:30-14:15 discussion Pienryhmäkeskustelu",
                "14:15-14:25 break Tauko",
                "14:25-14:55 discussion Kyselytunti",
                "14:55 other Tilaisuuden päätös",
            }));
}

TEST_F(ExampleSeries, Participants) {
  ASSERT_EQ(series_.participants.size(), 12u);
  int in_audience = 0, swedish = 0, personal_links = 0;
  for (const Participant& participant : series_.participants) {
    EXPECT_TRUE(participant.email.ends_with("@example.org")) << participant.email;
    in_audience += series_.in_audience(participant);
    swedish += participant.language == Language::sv;
    personal_links += participant.join_url.has_value();
  }
  EXPECT_EQ(in_audience, 11);
  EXPECT_EQ(swedish, 3);
  EXPECT_EQ(personal_links, 1);
  EXPECT_EQ(series_.participants_file, kExample.parent_path() / "aluevaltuutetut-2022.csv");
}

// "Never crash on any input": every cut of the example (mid-key, mid-string,
// mid-UTF-8 sequence) parses into diagnostics or a series, never a throw.
TEST(ExampleSeriesRobustness, EveryPrefixParsesWithoutThrowing) {
  std::string text = read_file(kExample);
  ASSERT_GT(text.size(), 1000u);
  std::size_t invalid = 0;
  for (std::size_t length = 0; length < text.size(); length += 3) {
    SeriesLoad load = parse_series(std::string_view(text).substr(0, length), kExample, "email\n");
    if (!load.series) {
      ++invalid;
      EXPECT_FALSE(load.diagnostics.empty());
    }
  }
  EXPECT_GT(invalid, 0u);
}

TEST(ExampleSeriesRobustness, EveryPrefixOfTheCsvParsesWithoutThrowing) {
  std::string text = read_file(kExample.parent_path() / "aluevaltuutetut-2022.csv");
  ASSERT_GT(text.size(), 500u);
  for (std::size_t length = 0; length < text.size(); ++length) {
    ParticipantsLoad load =
        parse_participants_csv(std::string_view(text).substr(0, length), "p.csv");
    EXPECT_LE(load.participants.size(), 12u);
  }
}

// The in-person example (examples/osallisuustyopajat-2026.*): the six
// workshops of shared/seeds/participation-workshops.fi.txt, each at an
// address, none with a join link.
TEST(WorkshopExample, SixInPersonWorkshopsWithAddressesAndNoLink) {
  SeriesLoad load = load_series(std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" /
                                "osallisuustyopajat-2026.toml");
  for (const Diagnostic& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string();
  ASSERT_TRUE(load.series.has_value());
  const Series& series = *load.series;
  EXPECT_EQ(series.id, "osallisuustyopajat-2026");
  EXPECT_FALSE(series.join_url.has_value());
  ASSERT_TRUE(series.calendar_alarm.has_value());
  EXPECT_EQ(series.calendar_alarm->canonical(), "PT1H");
  const std::vector<std::string> towns{"Haapavesi", "Nivala",  "Raahe",
                                       "Reisjärvi", "Sievi", "Utajärvi"};
  ASSERT_EQ(series.sessions.size(), towns.size());
  for (std::size_t i = 0; i < towns.size(); ++i) {
    const Session& session = series.sessions[i];
    EXPECT_FALSE(session.join_url.has_value()) << session.id;
    // "Venue, street, postcode town": what a map search finds.
    EXPECT_TRUE(session.location.ends_with(" " + towns[i])) << session.location;
    EXPECT_NE(session.location.find(", "), std::string::npos) << session.location;
    EXPECT_EQ(session.agenda.size(), 5u) << session.id;
  }
  EXPECT_GE(series.participants.size(), 10u);
}

}  // namespace
}  // namespace kutsu::agenda
