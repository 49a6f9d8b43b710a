// `kutsu import`, run as a child process: the seed announcement becomes a
// series whose plan, once the organiser has filled in the TODO lines, is the
// plan of its hand transcription in examples/; bad sources and options get
// the exit code and the sentence interfaces.md promises.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <regex>

#include "tests/daemon/kutsu_cli.h"

namespace kutsu::daemon {
namespace {

namespace json = boost::json;
using testing::read_file;
using testing::run_kutsu;
using testing::TempDir;

const std::string kSeed = KUTSU_SOURCE_DIR "/tests/importer/data/webinar-series-announcement.fi.txt";
const std::string kExample = KUTSU_SOURCE_DIR "/examples/aluevaltuutetut-2022.toml";

// What the organiser adds: the TODO lines answered as in the example, and
// the example's invitation and reminders.
std::string finished_by_the_organiser(std::string toml) {
  const std::vector<std::pair<std::string, std::string>> answers{
      {"title", "title = \"Uusien aluevaltuutettujen webinaarisarja\""},
      {"organiser", "organiser = { name = \"Liisa Esimerkki\", email = \"webinaarit@example.org\" }"},
      {"join_url", "join_url = \"https://example.org/zoom/aluevaltuutetut-2022\""},
      {"participants", "participants = \"" KUTSU_SOURCE_DIR "/examples/aluevaltuutetut-2022.csv\"\n"
                       "audience = [\"aluevaltuutettu\", \"varavaltuutettu\"]"},
  };
  for (const auto& [key, line] : answers) {
    const std::regex todo("# TODO: " + key + " = [^\n]*");
    EXPECT_TRUE(std::regex_search(toml, todo)) << "no TODO for " << key;
    toml = std::regex_replace(toml, todo, line);
  }
  return toml +
         "\n[invitation]\nsend_at = 2022-01-19T09:00:00\n\n"
         "[[reminder]]\nbefore = \"P7D\"\n\n"
         "[[reminder]]\nbefore = \"P1D\"\nat = 09:00:00\n\n"
         "[[reminder]]\nbefore = \"PT1H\"\n";
}

// The plan without notification and session ids (the transcription's were
// chosen by hand, the import's are made from titles), sorted: what is sent
// to whom and when, notification by notification.
std::vector<std::string> plan_by_position(const std::string& file, const std::string& dir) {
  const auto run = run_kutsu({"plan", "--format", "json", file}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  const auto plan = json::parse(run.out).as_array();
  for (const auto& value : plan) {
    auto n = value.as_object();
    n.erase("id");
    if (!n.at("session").is_null()) n["session"] = "session";
    lines.push_back(json::serialize(n));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(ImportCommand, TheSeedAnnouncementFinishedByTheOrganiserPlansExactlyLikeTheTranscription) {
  TempDir dir;
  const auto out = dir.path() / "aluevaltuutetut-2022.toml";
  const auto run = run_kutsu({"import", kSeed, "--id", "aluevaltuutetut-2022", "--out", out.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("5 sessions imported; fill in the TODO lines, then run: kutsu check"), std::string::npos)
      << run.err;
  const std::string imported = read_file(out);
  EXPECT_EQ(run_kutsu({"check", out.string()}).exit_code, 1) << "with its TODOs open the file is not finished";
  dir.write("aluevaltuutetut-2022.toml", finished_by_the_organiser(imported));
  const auto check = run_kutsu({"check", out.string()});
  ASSERT_EQ(check.exit_code, 0) << check.err << imported;

  const auto got = plan_by_position(out.string(), dir.path().string());
  const auto want = plan_by_position(kExample, KUTSU_SOURCE_DIR);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(got, want);
}

TEST(ImportCommand, WritesToStandardOutputWithoutOut) {
  const auto run = run_kutsu({"import", kSeed});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("# Imported by `kutsu import` from webinar-series-announcement.fi.txt.", 0), 0u);
  EXPECT_NE(run.out.find("start = 2022-03-26T10:00:00\nend = 2022-03-26T15:00:00\n"
                         "doors_open = 2022-03-26T09:45:00\n"),
            std::string::npos)
      << run.out;
}

TEST(ImportCommand, AWindows1252FileIsConvertedAndTheOutputSaysSo) {
  TempDir dir;
  // "Ke 4.2.2026 klo 18-19 Äänestys" as Word saves it: Ä is one byte, 0xC4.
  const auto source = dir.write("ilmoitus.txt", "Ke 4.2.2026 klo 18-19 \xC4\xE4nestys\r\n");
  const auto run = run_kutsu({"import", source.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("title = \"Äänestys\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("# The source was not UTF-8; it was read as Windows-1252"), std::string::npos);
}

TEST(ImportCommand, BadSourcesExitOneWithFileLineAndASentence) {
  TempDir dir;
  const auto empty = dir.write("tyhja.txt", "\n  \n");
  const auto no_session = dir.write("ei.txt", "Tervetuloa!\n");
  const auto mismatch = dir.write("vaara.txt", "Intro\n\nTo 2.2.2022 klo 18-19 A\n");
  const auto not_text = dir.write("kuva.txt", std::string("Ke 4.2.2026\n\x81\x8d\x8f\x90\x9d", 17));
  const std::vector<std::pair<std::filesystem::path, std::string>> cases{
      {empty, empty.string() + ": error: the file is empty: there is nothing to import\n"},
      {no_session, no_session.string() + ":1: error: no session found: a session is a line that starts with a "
                                         "date and a time, such as \"Ke 2.2.2022 klo 18-19.30 Title\"\n"},
      {mismatch, mismatch.string() + ":3:1: error: the weekday does not match the date: 2.2.2022 is a Wednesday, "
                                     "not a Thursday\n"},
      {not_text, not_text.string() + ":2: error: the file is not UTF-8 text (a byte that no UTF-8 character starts "
                                     "with); save it as UTF-8 (\"Unicode\") and import it again\n"},
      {dir.path() / "missing.txt", ""},
  };
  for (const auto& [file, message] : cases) {
    SCOPED_TRACE(file.string());
    const auto run = run_kutsu({"import", file.string()});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_EQ(run.out, "");
    if (!message.empty()) {
      EXPECT_EQ(run.err, message);
    } else {
      EXPECT_NE(run.err.find(file.string()), std::string::npos) << run.err;
    }
  }
}

TEST(ImportCommand, BadOptionsAreUsageErrors) {
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{"--timezone", "Europe/Atlantis"}, {"--language", "de"}, {"--id", "Bad Id"},
        {"--year", "next"}}) {
    std::vector<std::string> args{"import", kSeed};
    args.insert(args.end(), options.begin(), options.end());
    const auto run = run_kutsu(args);
    EXPECT_EQ(run.exit_code, 2) << options[0] << ": " << run.err;
    EXPECT_NE(run.err.find(options[0]), std::string::npos) << run.err;
  }
}

}  // namespace
}  // namespace kutsu::daemon
