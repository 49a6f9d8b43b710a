// Whom `kutsu status` asks (--url, --token-file, the daemon's config and the
// address it left) and what it asks, through a recording stand-in for the
// admin client.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "console/admin_address_file.h"
#include "console/status_request.h"
#include "tests/config/config_test_support.h"

namespace kutsu::console {
namespace {

using config::testing::ConfigDir;

TEST(StatusTarget, WithNothingGivenTheDefaultAddressAndNoToken) {
  Result<StatusTarget> target = resolve_status_target({});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->url, "http://127.0.0.1:8470");
  EXPECT_FALSE(target->token);
}

TEST(StatusTarget, TheConfigGivesItsListenAddressAndToken) {
  ConfigDir dir;
  dir.write("token", "s3cret\n");
  dir.write("kutsu.toml", "[http]\nlisten = \"127.0.0.1:9123\"\ntoken_file = \"token\"\n");
  Result<StatusTarget> target = resolve_status_target({"", "", dir.config_file().string()});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->url, "http://127.0.0.1:9123");
  ASSERT_TRUE(target->token);
  EXPECT_EQ(target->token->reveal(), "s3cret");
}

TEST(StatusTarget, UrlAndTokenFileWinOverTheConfig) {
  ConfigDir dir;
  dir.write("token", "from-config");
  dir.write("mine", " given \n");
  dir.write("kutsu.toml", "[http]\nlisten = \"127.0.0.1:9123\"\ntoken_file = \"token\"\n");
  Result<StatusTarget> target = resolve_status_target(
      {"http://127.0.0.1:1", (dir.path() / "mine").string(), dir.config_file().string()});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->url, "http://127.0.0.1:1");
  ASSERT_TRUE(target->token);
  EXPECT_EQ(target->token->reveal(), "given");
}

TEST(StatusTarget, AnyFreePortIsFoundInTheAddressTheDaemonLeft) {
  ConfigDir dir;
  dir.write("kutsu.toml", "[http]\nlisten = \"127.0.0.1:0\"\n");
  std::filesystem::create_directories(dir.path() / "var");
  ASSERT_TRUE(write_admin_address(dir.path() / "var", ListenAddress{"127.0.0.1", 40999}));
  Result<StatusTarget> target = resolve_status_target({"", "", dir.config_file().string()});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->url, "http://127.0.0.1:40999");
}

TEST(StatusTarget, AnyFreePortWithoutTheAddressFileSaysSo) {
  ConfigDir dir;
  dir.write("kutsu.toml", "[http]\nlisten = \"127.0.0.1:0\"\n");
  Result<StatusTarget> target = resolve_status_target({"", "", dir.config_file().string()});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().message,
            dir.config_file().string() + ": [http] listen asks for any free port, and " +
                "no daemon has said where it listens ('" +
                (dir.path() / "var" / "admin-address").string() +
                "' is missing): is kutsu serve running with this config?");
}

TEST(StatusTarget, AConfigThatDoesNotLoadGivesItsProblemsOnePerLine) {
  ConfigDir dir;
  dir.write("kutsu.toml", "[http]\nlisten = 5\nmax_connections = \"x\"\n");
  Result<StatusTarget> target = resolve_status_target({"", "", dir.config_file().string()});
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find(dir.config_file().string() + ":2:"), std::string::npos)
      << target.error().message;
  EXPECT_NE(target.error().message.find('\n'), std::string::npos) << target.error().message;
}

TEST(StatusTarget, AnUnreadableTokenFileIsAnError) {
  ConfigDir dir;
  EXPECT_FALSE(resolve_status_target({"", (dir.path() / "missing").string(), ""}));
}

TEST(AskStatus, AsksTheFiveQuestionsInOrderAndKeepsTheAnswers) {
  std::vector<std::string> asked;
  const AdminGet get = [&asked](std::string_view path) -> Result<boost::json::value> {
    asked.emplace_back(path);
    return boost::json::parse(R"({"asked":")" + std::string(path) + R"("})");
  };
  Result<StatusAnswers> answers = ask_status("http://127.0.0.1:8470", get);
  ASSERT_TRUE(answers) << answers.error().message;
  EXPECT_EQ(asked, (std::vector<std::string>{
                       "/api/v1/status",
                       "/api/v1/series",
                       "/api/v1/notifications?state=pending&limit=10",
                       "/api/v1/notifications?state=failed&limit=20",
                       "/api/v1/notifications?state=missed&limit=20",
                   }));
  EXPECT_EQ(answers->url, "http://127.0.0.1:8470");
  EXPECT_EQ(answers->status.at("asked"), "/api/v1/status");
  EXPECT_EQ(answers->series.at("asked"), "/api/v1/series");
  EXPECT_EQ(answers->pending.at("asked"), "/api/v1/notifications?state=pending&limit=10");
  EXPECT_EQ(answers->failed.at("asked"), "/api/v1/notifications?state=failed&limit=20");
  EXPECT_EQ(answers->missed.at("asked"), "/api/v1/notifications?state=missed&limit=20");
}

TEST(AskStatus, TheFirstFailureStopsTheQuestions) {
  int asked = 0;
  const AdminGet get = [&asked](std::string_view) -> Result<boost::json::value> {
    if (++asked == 2) return Error{"the token was refused"};
    return boost::json::value{};
  };
  Result<StatusAnswers> answers = ask_status("http://127.0.0.1:8470", get);
  ASSERT_FALSE(answers);
  EXPECT_EQ(answers.error().message, "the token was refused");
  EXPECT_EQ(asked, 2);
}

}  // namespace
}  // namespace kutsu::console
