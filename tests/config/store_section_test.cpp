// [store] (issue #14): the outbox on PostgreSQL — absent means SQLite; the
// url checked by libpq's parser and never holding a password; the password
// from a file ($CREDENTIALS_DIRECTORY honoured) and never printed; the node
// name defaulting to the host name; the lease's bounds; every problem at
// its line and column.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <sstream>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using namespace std::chrono_literals;
using testing::ConfigDir;
using testing::printed;

class StoreSection : public ::testing::Test {
 protected:
  // The [store] settings `toml` loads to; fails the test on any diagnostic.
  std::optional<StoreSettings> load(std::string_view toml,
                                    std::optional<std::filesystem::path> credentials = {}) {
    ConfigLoad load = dir_.load(toml, std::move(credentials));
    EXPECT_TRUE(load.config) << printed(load.diagnostics);
    return load.config ? load.config->store : std::nullopt;
  }
  // The diagnostics of loading `toml`, one per line, the file shown as kutsu.toml.
  std::string errors(std::string_view toml) {
    ConfigLoad load = dir_.load(toml);
    EXPECT_FALSE(load.config) << "loaded";
    std::string out;
    for (Diagnostic d : load.diagnostics) {
      d.file = "kutsu.toml";
      out += d.to_string() + "\n";
    }
    return out;
  }

  ConfigDir dir_;
};

std::string host_name() {
  std::array<char, 256> name{};
  EXPECT_EQ(gethostname(name.data(), name.size() - 1), 0);
  return name.data();
}

TEST_F(StoreSection, AbsentMeansSqlite) {
  ConfigLoad load = dir_.load("[daemon]\n");
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  EXPECT_FALSE(load.config->store.has_value());
}

TEST_F(StoreSection, DefaultsAreTheHostNameAndAMinuteOfLease) {
  std::optional<StoreSettings> store =
      load("[store]\nurl = \"postgresql://kutsu@db.example.org/kutsu?sslmode=verify-full\"\n");
  ASSERT_TRUE(store);
  EXPECT_EQ(store->url, "postgresql://kutsu@db.example.org/kutsu?sslmode=verify-full");
  EXPECT_EQ(store->node, host_name());
  EXPECT_EQ(store->lease, 60s);
  EXPECT_FALSE(store->password_file);
  EXPECT_FALSE(store->password);
}

TEST_F(StoreSection, AsWritten) {
  dir_.write("db-password", "  s3cret \n");
  std::optional<StoreSettings> store = load(
      "[store]\nurl = \"host=127.0.0.1 port=5433 dbname=kutsu user=kutsu\"\n"
      "password_file = \"db-password\"\nnode = \"kutsu-a.example_1\"\nlease = \"PT5S\"\n");
  ASSERT_TRUE(store);
  EXPECT_EQ(store->url, "host=127.0.0.1 port=5433 dbname=kutsu user=kutsu");
  EXPECT_EQ(store->password_file, dir_.path() / "db-password");
  ASSERT_TRUE(store->password);
  EXPECT_EQ(store->password->reveal(), "s3cret");
  EXPECT_EQ(store->node, "kutsu-a.example_1");
  EXPECT_EQ(store->lease, 5s);
  EXPECT_EQ(load("[store]\nurl = \"postgresql:///kutsu\"\nlease = \"PT1H\"\n")->lease, 1h);
}

TEST_F(StoreSection, ThePasswordFileIsLookedForInTheCredentialsDirectoryFirst) {
  ConfigDir credentials;
  credentials.write("db-password", "from-credentials\n");
  dir_.write("db-password", "from-config-dir\n");
  std::optional<StoreSettings> store =
      load("[store]\nurl = \"postgresql:///kutsu\"\npassword_file = \"db-password\"\n",
           credentials.path());
  ASSERT_TRUE(store && store->password);
  EXPECT_EQ(store->password->reveal(), "from-credentials");
  EXPECT_EQ(store->password_file, credentials.path() / "db-password");
}

TEST_F(StoreSection, EachProblemAtItsLineAndColumn) {
  EXPECT_EQ(errors("[store]\nnode = \"a\"\n"),
            "kutsu.toml:1:1: error: missing required key 'url'\n");
  EXPECT_EQ(errors("[store]\nurl = \"\"\n"), "kutsu.toml:2:7: error: 'url' must not be empty\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql://h/k?colour=red\"\n"),
            "kutsu.toml:2:7: error: 'url' is not a libpq connection string: invalid URI query "
            "parameter: \"colour\"\n");
  EXPECT_EQ(errors("[store]\nurl = \"host=db dbname\"\n"),
            "kutsu.toml:2:7: error: 'url' is not a libpq connection string: missing \"=\" after "
            "\"dbname\" in connection info string\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql://kutsu:hunter2@db/kutsu\"\n"),
            "kutsu.toml:2:7: error: 'url' must not contain a password: put it in a file named by "
            "'password_file' (or libpq's PGPASSFILE)\n");
  EXPECT_EQ(errors("[store]\nurl = \"host=db password=hunter2\"\n"),
            "kutsu.toml:2:7: error: 'url' must not contain a password: put it in a file named by "
            "'password_file' (or libpq's PGPASSFILE)\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nnode = \"\"\n"),
            "kutsu.toml:3:8: error: 'node' must be 1 to 63 letters, digits, '.', '_' or '-', "
            "not ''\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nnode = \"kutsu a\"\n"),
            "kutsu.toml:3:8: error: 'node' must be 1 to 63 letters, digits, '.', '_' or '-', "
            "not 'kutsu a'\n");
  const std::string long_name(64, 'n');
  EXPECT_NE(errors("[store]\nurl = \"postgresql:///k\"\nnode = \"" + long_name + "\"\n")
                .find("not '" + long_name + "'"),
            std::string::npos);
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nlease = \"PT4S\"\n"),
            "kutsu.toml:3:9: error: 'lease' must be from PT5S to PT1H, not PT4S\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nlease = \"PT1H1S\"\n"),
            "kutsu.toml:3:9: error: 'lease' must be from PT5S to PT1H, not PT1H1S\n");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nlease = \"60s\"\n")
                .substr(0, std::string("kutsu.toml:3:9: error: 'lease': ").size()),
            "kutsu.toml:3:9: error: 'lease': ");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\npassword_file = \"missing\"\n")
                .substr(0, std::string("kutsu.toml:3:17: error: 'password_file': ").size()),
            "kutsu.toml:3:17: error: 'password_file': ");
  EXPECT_EQ(errors("[store]\nurl = \"postgresql:///k\"\nnodes = \"a\"\n"),
            "kutsu.toml:3:1: error: unknown key 'nodes'\n");
}

TEST_F(StoreSection, PrintsEverythingButThePassword) {
  dir_.write("db-password", "hunter2-value\n");
  ConfigLoad load = dir_.load(
      "[store]\nurl = \"postgresql://kutsu@db.example.org/kutsu\"\n"
      "password_file = \"db-password\"\nnode = \"kutsu-a\"\nlease = \"PT90S\"\n");
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  std::ostringstream out;
  out << *load.config;
  const std::string text = out.str();
  EXPECT_NE(text.find("[store]\n"
                      "lease = 'PT1M30S'\n"
                      "node = 'kutsu-a'\n"
                      "password = '***'\n"
                      "password_file = '" +
                      (dir_.path() / "db-password").string() +
                      "'\n"
                      "url = 'postgresql://kutsu@db.example.org/kutsu'\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::config
