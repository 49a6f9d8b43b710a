// `kutsu preview` on the shipped example, through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "agenda/series_parser.h"
#include "scheduler/planner.h"
#include "tests/fixtures/child_process.h"
#include "tests/fixtures/email_inspection.h"

namespace kutsu::notifier {
namespace {

namespace fs = std::filesystem;
using kutsu::testing::header_value;
using kutsu::testing::inspect_email;
using kutsu::testing::part_text;

const fs::path kExample = fs::path{KUTSU_SOURCE_DIR} / "examples/aluevaltuutetut-2022.toml";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class Preview : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kutsu-preview-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  kutsu::testing::RunResult preview(std::vector<std::string> args) {
    args.insert(args.begin(), {KUTSU_BINARY, "preview"});
    return kutsu::testing::run({.argv = std::move(args)});
  }

  // The plan the binary should have rendered, computed in-process.
  std::set<std::string> expected_names(const fs::path& file) {
    agenda::SeriesLoad load = agenda::load_series(file);
    EXPECT_TRUE(load.series.has_value());
    if (!load.series) return {};
    series_ = std::move(*load.series);
    scheduler::Plan plan = scheduler::plan_series(series_);
    EXPECT_TRUE(plan.diagnostics.empty());
    std::set<std::string> names;
    for (const model::Notification& n : plan.notifications) {
      names.insert(date::format("%Y-%m-%dT%H%M%SZ", n.due) + "-" +
                   std::string{model::to_string(n.kind)} + "-" + std::string{n.recipient} + "-" +
                   n.id.to_string().substr(0, 8) +
                   (n.channel == agenda::Channel::email ? ".eml" : ".json"));
    }
    return names;
  }

  fs::path dir_;
  agenda::Series series_;
};

TEST_F(Preview, WritesOneFilePerPlannedNotificationSortedByDueTime) {
  const std::set<std::string> expected = expected_names(kExample);
  ASSERT_GT(expected.size(), 20u);
  kutsu::testing::RunResult result = preview({kExample.string(), "--out", dir_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "kutsu preview: wrote " + std::to_string(expected.size()) +
                            " e-mails and 0 webhook calls for 1 series to " + dir_.string() + "\n");
  const std::vector<std::string> names = files_in(dir_);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  // Sorting by name is sorting by due time: the invitations come first.
  ASSERT_FALSE(names.empty());
  EXPECT_TRUE(names.front().starts_with("2022-01-19T070000Z-invitation-")) << names.front();
}

TEST_F(Preview, InvitationFileIsACompleteMessageDatedAtItsDueTime) {
  ASSERT_EQ(preview({kExample.string(), "--out", dir_.string()}).exit_code, 0);
  const std::vector<std::string> names = files_in(dir_);
  auto invitation = std::find_if(names.begin(), names.end(), [](const std::string& name) {
    return name.find("-invitation-aino.virtanen@example.org-") != std::string::npos;
  });
  ASSERT_NE(invitation, names.end());
  auto mail = inspect_email(read(dir_ / *invitation));
  EXPECT_EQ(header_value(mail, "Subject"), "Kutsu: Uusien aluevaltuutettujen webinaarisarja");
  EXPECT_EQ(header_value(mail, "From"), "Liisa Esimerkki <webinaarit@example.org>");
  EXPECT_EQ(header_value(mail, "Date"), "Wed, 19 Jan 2022 07:00:00 +0000");
  const boost::json::array& calendars = mail.at("calendars").as_array();
  ASSERT_EQ(calendars.size(), 2u);
  EXPECT_EQ(calendars[0].at("method"), "PUBLISH");
  EXPECT_EQ(calendars[0].at("events").as_array().size(), 5u);
  const std::string text = part_text(mail, "text/plain");
  EXPECT_NE(text.find("Linjat avataan klo 9.45."), std::string::npos);
  EXPECT_NE(text.find("  12.00–12.45  Lounastauko\n"), std::string::npos);
}

TEST_F(Preview, SwedishReaderGetsSwedishDatesAndFromIsConfigurable) {
  ASSERT_EQ(
      preview({kExample.string(), "--out", dir_.string(), "--from", "Kutsu <kutsu@example.net>"})
          .exit_code,
      0);
  const std::vector<std::string> names = files_in(dir_);
  auto reminder = std::find_if(names.begin(), names.end(), [](const std::string& name) {
    return name.starts_with("2022-01-26T160000Z-reminder-elin.lindqvist@example.org-");
  });
  ASSERT_NE(reminder, names.end()) << "no P7D reminder for the first session";
  auto mail = inspect_email(read(dir_ / *reminder));
  EXPECT_EQ(header_value(mail, "Subject"),
            "Påminnelse: Valtakunnallisen yhteistyön käynnistäminen ons 2.2.2022 kl. 18.00–19.30");
  EXPECT_EQ(header_value(mail, "From"), "Kutsu <kutsu@example.net>");
  EXPECT_TRUE(header_value(mail, "Message-ID").ends_with("@example.net>"));
}

TEST_F(Preview, SameFilesGiveTheSameBytes) {
  ASSERT_EQ(preview({kExample.string(), "--out", (dir_ / "a").string()}).exit_code, 0);
  ASSERT_EQ(preview({kExample.string(), "--out", (dir_ / "b").string()}).exit_code, 0);
  const std::vector<std::string> names = files_in(dir_ / "a");
  ASSERT_EQ(names, files_in(dir_ / "b"));
  for (const std::string& name : names) {
    ASSERT_EQ(read(dir_ / "a" / name), read(dir_ / "b" / name)) << name;
  }
}

TEST_F(Preview, WebhookEndpointsBecomeJsonFiles) {
  fs::create_directories(dir_ / "series");
  fs::copy_file(kExample.parent_path() / "aluevaltuutetut-2022.csv",
                dir_ / "series/aluevaltuutetut-2022.csv");
  std::string toml = read(kExample);
  const std::string anchor = "audience = ";
  ASSERT_NE(toml.find(anchor), std::string::npos);
  toml.insert(toml.find(anchor), "webhooks = [\"tiimi\"]\n");
  std::ofstream(dir_ / "series/aluevaltuutetut-2022.toml", std::ios::binary) << toml;

  const fs::path file = dir_ / "series/aluevaltuutetut-2022.toml";
  const std::set<std::string> expected = expected_names(file);
  kutsu::testing::RunResult result = preview({file.string(), "--out", (dir_ / "out").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> names = files_in(dir_ / "out");
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  auto json_file = std::find_if(names.begin(), names.end(), [](const std::string& name) {
    return name.starts_with("2022-02-02T150000Z-reminder-tiimi-") && name.ends_with(".json");
  });
  ASSERT_NE(json_file, names.end());
  boost::json::value body = boost::json::parse(read(dir_ / "out" / *json_file));
  EXPECT_EQ(body.at("type"), "reminder");
  EXPECT_EQ(body.at("offset"), "PT1H");
  EXPECT_EQ(body.at("session").at("id"), "verkosto");
  EXPECT_EQ(body.at("session").at("start"), "2022-02-02T18:00:00+02:00");
}

TEST_F(Preview, SeriesTemplatesDirectoryOverridesOneTemplate) {
  fs::create_directories(dir_ / "series/omat/fi");
  fs::copy_file(kExample.parent_path() / "aluevaltuutetut-2022.csv",
                dir_ / "series/aluevaltuutetut-2022.csv");
  std::ofstream(dir_ / "series/omat/fi/invitation.subject.mustache")
      << "Tervetuloa: {{series.title}}\n";
  std::string toml = read(kExample);
  toml.insert(toml.find("audience = "), "templates = \"omat\"\n");
  std::ofstream(dir_ / "series/aluevaltuutetut-2022.toml", std::ios::binary) << toml;

  kutsu::testing::RunResult result = preview(
      {(dir_ / "series/aluevaltuutetut-2022.toml").string(), "--out", (dir_ / "out").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  int checked = 0;
  for (const std::string& name : files_in(dir_ / "out")) {
    if (name.find("-invitation-aino.virtanen@example.org-") != std::string::npos) {
      auto mail = inspect_email(read(dir_ / "out" / name));
      EXPECT_EQ(header_value(mail, "Subject"),
                "Tervetuloa: Uusien aluevaltuutettujen webinaarisarja");
      ++checked;
    }
    if (name.find("-invitation-elin.lindqvist@example.org-") != std::string::npos) {
      auto mail = inspect_email(read(dir_ / "out" / name));  // Swedish: no override
      EXPECT_EQ(header_value(mail, "Subject"),
                "Inbjudan: Uusien aluevaltuutettujen webinaarisarja");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2);
}

TEST_F(Preview, MissingOutIsAUsageError) {
  kutsu::testing::RunResult result = preview({kExample.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--out"), std::string::npos) << result.err;
}

TEST_F(Preview, BadSenderIsAUsageError) {
  kutsu::testing::RunResult result =
      preview({kExample.string(), "--out", dir_.string(), "--from", "nobody"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--from"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(Preview, InvalidSeriesIsReportedWithItsPlaceAndNothingIsWritten) {
  fs::create_directories(dir_);
  const fs::path bad = dir_ / "bad.toml";
  std::ofstream(bad) << "id = \"bad\"\ntitle = \"Bad\"\ntimezone = \"Europe/Nowhere\"\n";
  kutsu::testing::RunResult result = preview({bad.string(), "--out", (dir_ / "out").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(bad.string() + ":3:"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

}  // namespace
}  // namespace kutsu::notifier
