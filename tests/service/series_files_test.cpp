// load_and_plan: the series files of a command line, every one read and
// planned, every problem printed as FILE:LINE:COLUMN: error: MESSAGE in file
// order, the valid ones kept in command-line order.
#include <gtest/gtest.h>

#include <sstream>

#include "service/series_files.h"
#include "tests/config/config_test_support.h"

namespace kutsu::service {
namespace {

using config::testing::ConfigDir;

std::string series(std::string_view id, std::string_view extra = "") {
  return "id = \"" + std::string(id) + R"("
title = "Sarja"
timezone = "Europe/Helsinki"
organiser = { name = "Liisa", email = "o@example.org" }
participants = "p.csv"
)" + std::string(extra) + R"(
[[reminder]]
before = "PT1H"

[[session]]
id = "yksi"
title = "Yksi"
start = 2030-02-02T18:00:00
end = 2030-02-02T19:00:00
)";
}

class SeriesFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("p.csv", "email,name\na@example.org,Aino\n"); }
  std::string file(std::string_view name) const { return (dir_.path() / name).string(); }

  ConfigDir dir_;
  std::ostringstream errors_;
};

TEST_F(SeriesFiles, ValidFilesArePlannedInCommandLineOrder) {
  dir_.write("b.toml", series("bee"));
  dir_.write("a.toml", series("aa"));
  PlannedFiles planned = load_and_plan({file("b.toml"), file("a.toml")}, errors_);
  EXPECT_TRUE(planned.all_valid);
  EXPECT_EQ(errors_.str(), "");
  ASSERT_EQ(planned.valid.size(), 2u);
  EXPECT_EQ(planned.valid[0]->series.id, "bee");
  EXPECT_EQ(planned.valid[1]->series.id, "aa");
  EXPECT_EQ(planned.valid[0]->plan.notifications.size(), 1u);  // one reminder, one participant
}

TEST_F(SeriesFiles, EveryProblemOfEveryFileIsPrintedAndTheValidOnesKept) {
  dir_.write("a.toml", series("aa"));
  dir_.write("bad.toml", "id = \"bad\"\ntitle = 5\n");
  dir_.write("twin.toml", series("aa"));
  PlannedFiles planned =
      load_and_plan({file("bad.toml"), file("a.toml"), file("twin.toml"), file("missing.toml")},
                    errors_);
  EXPECT_FALSE(planned.all_valid);
  ASSERT_EQ(planned.valid.size(), 1u);
  EXPECT_EQ(planned.valid[0]->file, dir_.path() / "a.toml");
  const std::string printed = errors_.str();
  EXPECT_EQ(printed.rfind(file("bad.toml") + ":", 0), 0u) << printed;
  const std::size_t twin = printed.find(file("twin.toml") + ":");
  const std::size_t missing = printed.find(file("missing.toml"));
  EXPECT_NE(twin, std::string::npos) << printed;
  EXPECT_NE(missing, std::string::npos) << printed;
  EXPECT_LT(twin, missing);
  EXPECT_NE(printed.find(": error: "), std::string::npos);
  EXPECT_EQ(printed.back(), '\n');
}

TEST_F(SeriesFiles, WebhookNamesAreCheckedOnlyWhenGiven) {
  dir_.write("a.toml", series("aa", "webhooks = [\"tiimi\"]\n"));
  EXPECT_TRUE(load_and_plan({file("a.toml")}, errors_).all_valid) << errors_.str();
  const WebhookNames names = std::set<std::string, std::less<>>{"muu"};
  PlannedFiles planned =
      load_and_plan({file("a.toml")}, errors_, agenda::SeriesOptions::from_clock(), names);
  EXPECT_FALSE(planned.all_valid);
  EXPECT_NE(errors_.str().find("tiimi"), std::string::npos) << errors_.str();
}

}  // namespace
}  // namespace kutsu::service
