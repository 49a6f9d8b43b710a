// The series TOML `kutsu import` writes: it parses as TOML whatever the
// strings hold (toml++ reads back exactly what the draft said), it leaves a
// TODO for what the source could not say, and with those filled the series
// parser accepts it — shown on the seed announcement, whose sessions and
// timetable are compared with the transcription in examples/.
#include <gtest/gtest.h>

#include <regex>
#include <toml++/toml.h>

#include "agenda/series_parser.h"
#include "importer/import_file.h"
#include "importer/series_writer.h"

namespace kutsu::importer {
namespace {

using namespace std::chrono;

DraftSeries one_session_draft() {
  DraftSeries draft;
  draft.timezone = "Europe/Helsinki";
  DraftSession session;
  session.id = "a";
  session.title = "A";
  session.start = local_days{2026y / 2 / 4} + hours(18);
  session.end = local_days{2026y / 2 / 4} + hours(19);
  draft.sessions.push_back(session);
  return draft;
}

// The TODO lines uncommented with values, as an organiser fills them in.
std::string filled(std::string toml, const std::string& participants) {
  const std::vector<std::pair<std::string, std::string>> answers{
      {"id", "id = \"sarja\""},
      {"title", "title = \"Sarja\""},
      {"organiser", "organiser = { name = \"Liisa Esimerkki\", email = \"webinaarit@example.org\" }"},
      {"join_url", "join_url = \"https://example.org/zoom/sarja\""},
      {"participants", "participants = \"" + participants + "\""},
  };
  for (const auto& [key, line] : answers) {
    toml = std::regex_replace(toml, std::regex("# TODO: " + key + " = [^\n]*"), line);
  }
  return toml;
}

TEST(SeriesWriter, StringsReadBackExactlyWhateverTheyHold) {
  const std::vector<std::string> nasty{
      "plain",
      "quote \" inside",
      "three \"\"\" quotes and four \"\"\"\"",
      "ends with a quote\"",
      "back\\slash \\u00e4 and \\\"",
      "tab\tand\r\nCRLF and\x01control\x7f",
      "multi\nline\n\nwith ''' literal quotes",
      "\"\"",
      "",
  };
  for (const auto& text : nasty) {
    SCOPED_TRACE(text);
    auto draft = one_session_draft();
    draft.title = text.empty() ? "x" : text;
    draft.description = text;
    draft.sessions[0].title = text.empty() ? "x" : text;
    draft.sessions[0].description = text;
    draft.sessions[0].location = text;
    draft.sessions[0].speakers = {text, text};
    // Notes are comments, where TOML allows no control characters (a fuzz finding).
    draft.notes = {text};
    draft.sessions[0].notes = {text};
    const std::string toml = write_series_toml(draft);
    toml::table table;
    try {
      table = toml::parse(toml);
    } catch (const toml::parse_error& e) {
      FAIL() << e.what() << "\n" << toml;
    }
    EXPECT_EQ(table["title"].value_or(std::string("?")), draft.title);
    EXPECT_EQ(table["description"].value_or(std::string()), text);
    const auto& session = *table["session"][0].as_table();
    EXPECT_EQ(session["title"].value_or(std::string("?")), draft.sessions[0].title);
    EXPECT_EQ(session["description"].value_or(std::string()), text);
    EXPECT_EQ(session["location"].value_or(std::string()), text);
    EXPECT_EQ(session["speakers"][1].value_or(std::string("?")), text);
    if (text.find('\x01') != std::string::npos) EXPECT_NE(toml.find("# tab\tand\\x0D"), std::string::npos) << toml;
  }
}

TEST(SeriesWriter, WhatTheSourceDoesNotSayIsATodoAndNothingElse) {
  auto draft = one_session_draft();
  std::string toml = write_series_toml(draft);
  for (const char* key : {"id", "title", "organiser", "join_url", "participants"}) {
    EXPECT_NE(toml.find(std::string("# TODO: ") + key + " = "), std::string::npos) << key << "\n" << toml;
  }
  draft.id = "sarja";
  draft.title = "Sarja";
  draft.join_url = "https://example.org/j";
  toml = write_series_toml(draft);
  for (const char* key : {"id", "title", "join_url"}) {
    EXPECT_EQ(toml.find(std::string("# TODO: ") + key + " = "), std::string::npos) << key;
  }
  EXPECT_NE(toml.find("id = \"sarja\"\n"), std::string::npos);
}

TEST(SeriesWriter, AnEndAtMidnightWrittenAs24IsTheNextDaysMidnight) {
  // A fuzz finding: "22-24" gave `end = 24:00:00`, which is not TOML.
  auto draft = one_session_draft();
  draft.sessions[0].start = local_days{2026y / 2 / 4} + hours(22);
  draft.sessions[0].end = local_days{2026y / 2 / 4} + hours(24);
  draft.sessions[0].agenda.push_back(DraftAgendaItem{hours(23), hours(24), "Yö", {}, agenda::AgendaItemKind::talk});
  const std::string toml = filled(write_series_toml(draft), "osallistujat.csv");
  EXPECT_NE(toml.find("end = 2026-02-05T00:00:00\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("  start = 23:00:00\n  end = 2026-02-05T00:00:00\n"), std::string::npos) << toml;
  const auto load = agenda::parse_series(toml, "/tmp/sarja.toml", std::string_view("email\na@example.org\n"),
                                         agenda::SeriesOptions{});
  for (const auto& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string() << "\n" << toml;
}

TEST(SeriesWriter, RecurringSessionsAndOccurrencesAreWrittenAsTheFormatSays) {
  auto draft = one_session_draft();
  auto& weekly = draft.sessions[0];
  weekly.end.reset();
  weekly.duration = minutes(45);
  weekly.repeat = "FREQ=WEEKLY;BYDAY=WE;UNTIL=20260325";
  weekly.except = {local_days{2026y / 2 / 18}};
  DraftOccurrence moved;
  moved.date = local_days{2026y / 3 / 4};
  moved.start = local_days{2026y / 3 / 4} + hours(17);
  moved.end = local_days{2026y / 3 / 4} + hours(18);
  weekly.occurrences.push_back(moved);
  DraftSession listed;
  listed.id = "kokous";
  listed.title = "Kokous";
  listed.start = local_days{2026y / 1 / 25} + hours(18);
  listed.end = local_days{2026y / 1 / 25} + hours(19) + minutes(30);
  listed.dates = {local_days{2026y / 1 / 25}, local_days{2026y / 2 / 22}};
  draft.sessions.push_back(listed);
  const std::string toml = filled(write_series_toml(draft), "osallistujat.csv");
  const auto load = agenda::parse_series(toml, "/tmp/sarja.toml", std::string_view("email\na@example.org\n"),
                                         agenda::SeriesOptions{});
  for (const auto& diagnostic : load.diagnostics) ADD_FAILURE() << diagnostic.to_string() << "\n" << toml;
  ASSERT_TRUE(load.series.has_value());
  EXPECT_EQ(load.series->recurring.size(), 2u);
  EXPECT_NE(toml.find("start = 18:00:00\nend = 19:30:00\ndates = [2026-01-25, 2026-02-22]"), std::string::npos)
      << toml;
}

TEST(SeriesWriter, TheSeedAnnouncementWithItsTodosFilledIsAValidSeriesLikeTheExample) {
  ImportOptions options;
  options.today = sys_days{2026y / 12 / 7};
  const auto load = import_file(KUTSU_SOURCE_DIR "/tests/importer/data/webinar-series-announcement.fi.txt", options);
  ASSERT_TRUE(load.draft.has_value());
  const std::string toml = filled(write_series_toml(*load.draft), "osallistujat.csv");
  const auto series_load = agenda::parse_series(toml, "/tmp/sarja.toml", std::string_view("email\na@example.org\n"),
                                                agenda::SeriesOptions{});
  for (const auto& diagnostic : series_load.diagnostics) ADD_FAILURE() << diagnostic.to_string() << "\n" << toml;
  const auto example = agenda::load_series(KUTSU_SOURCE_DIR "/examples/aluevaltuutetut-2022.toml");
  ASSERT_TRUE(series_load.series && example.series);
  const auto& got = *series_load.series;
  const auto& want = *example.series;
  ASSERT_EQ(got.sessions.size(), want.sessions.size());
  for (std::size_t i = 0; i < want.sessions.size(); ++i) {
    SCOPED_TRACE(want.sessions[i].id);
    EXPECT_EQ(got.sessions[i].title, want.sessions[i].title);
    EXPECT_EQ(got.sessions[i].start.local, want.sessions[i].start.local);
    EXPECT_EQ(got.sessions[i].end.local, want.sessions[i].end.local);
    EXPECT_EQ(got.sessions[i].description, want.sessions[i].description);
    EXPECT_EQ(got.sessions[i].speakers, want.sessions[i].speakers);
    EXPECT_EQ(got.sessions[i].location, want.sessions[i].location);
  }
  EXPECT_EQ(got.description, want.description);
  const auto& seminar = got.sessions.back();
  const auto& transcribed = want.sessions.back();
  ASSERT_TRUE(seminar.doors_open && transcribed.doors_open);
  EXPECT_EQ(seminar.doors_open->local, transcribed.doors_open->local) << "9.45 Linjat avataan";
  ASSERT_EQ(seminar.agenda.size(), transcribed.agenda.size()) << "ten items and the closing time";
  for (std::size_t i = 0; i < transcribed.agenda.size(); ++i) {
    SCOPED_TRACE(transcribed.agenda[i].title);
    EXPECT_EQ(seminar.agenda[i].start.local, transcribed.agenda[i].start.local);
    EXPECT_EQ(seminar.agenda[i].end.has_value(), transcribed.agenda[i].end.has_value());
    if (seminar.agenda[i].end && transcribed.agenda[i].end) {
      EXPECT_EQ(seminar.agenda[i].end->local, transcribed.agenda[i].end->local);
    }
    EXPECT_EQ(seminar.agenda[i].kind, transcribed.agenda[i].kind);
  }
}

}  // namespace
}  // namespace kutsu::importer
