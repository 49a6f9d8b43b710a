// [http]'s connection limits (issue #10): max_connections,
// max_connections_per_client and idle_timeout — their defaults, how they
// follow each other, and each problem at its line and column; and
// public_url, where participants reach the opt-out links.
#include <gtest/gtest.h>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using namespace std::chrono_literals;
using testing::ConfigDir;
using testing::printed;

class HttpLimits : public ::testing::Test {
 protected:
  // The [http] settings `toml` loads to; fails the test on any diagnostic.
  HttpSettings load(std::string_view toml) {
    ConfigLoad load = dir_.load(toml);
    EXPECT_TRUE(load.config) << printed(load.diagnostics);
    return load.config ? load.config->http : HttpSettings{};
  }
  // The diagnostics of loading `toml`, one per line, the file shown as kutsu.toml.
  std::string errors(std::string_view toml) {
    ConfigLoad load = dir_.load(toml);
    std::string out;
    for (Diagnostic d : load.diagnostics) {
      d.file = "kutsu.toml";
      out += d.to_string() + "\n";
    }
    return out;
  }

  ConfigDir dir_;
};

TEST_F(HttpLimits, Defaults) {
  for (std::string_view toml : {std::string_view(""), std::string_view("[http]\n")}) {
    SCOPED_TRACE(toml);
    HttpSettings http = load(toml);
    EXPECT_EQ(http.max_connections, 512);
    EXPECT_EQ(http.max_connections_per_client, 32);
    EXPECT_EQ(http.idle_timeout, 30s);
  }
}

TEST_F(HttpLimits, AsWritten) {
  HttpSettings http = load(
      "[http]\nmax_connections = 2000\nmax_connections_per_client = 2000\n"
      "idle_timeout = \"PT5S\"\n");
  EXPECT_EQ(http.max_connections, 2000);
  EXPECT_EQ(http.max_connections_per_client, 2000);
  EXPECT_EQ(http.idle_timeout, 5s);
  EXPECT_EQ(load("[http]\nidle_timeout = \"PT1H\"\n").idle_timeout, 1h);
}

TEST_F(HttpLimits, TheDefaultShareShrinksToASmallerTotal) {
  HttpSettings http = load("[http]\nmax_connections = 16\n");
  EXPECT_EQ(http.max_connections, 16);
  EXPECT_EQ(http.max_connections_per_client, 16);
  EXPECT_EQ(load("[http]\nmax_connections = 64\n").max_connections_per_client, 32);
}

TEST_F(HttpLimits, CountsMustBeFrom1To65536) {
  EXPECT_EQ(errors("[http]\nmax_connections = 0\nmax_connections_per_client = 70000\n"),
            "kutsu.toml:2:19: error: 'max_connections' must be from 1 to 65536, not 0\n"
            "kutsu.toml:3:30: error: 'max_connections_per_client' must be from 1 to 65536, not "
            "70000\n");
  EXPECT_EQ(errors("[http]\nmax_connections = \"512\"\n"),
            "kutsu.toml:2:19: error: 'max_connections' must be an integer, not a string\n");
  EXPECT_EQ(errors("[http]\nmax_connections = 65536\nmax_connections_per_client = 1\n"), "");
}

TEST_F(HttpLimits, TheShareMustNotExceedTheTotal) {
  EXPECT_EQ(errors("[http]\nmax_connections = 100\nmax_connections_per_client = 101\n"),
            "kutsu.toml:3:30: error: 'max_connections_per_client' (101) must not exceed "
            "'max_connections' (100)\n");
  // Against the default total too.
  EXPECT_EQ(errors("[http]\nmax_connections_per_client = 600\n"),
            "kutsu.toml:2:30: error: 'max_connections_per_client' (600) must not exceed "
            "'max_connections' (512)\n");
}

TEST_F(HttpLimits, IdleTimeoutIsAnExactDurationUpToAnHour) {
  EXPECT_EQ(errors("[http]\nidle_timeout = \"30s\"\n"),
            "kutsu.toml:2:16: error: 'idle_timeout': '30s' is not an exact duration such as "
            "PT30S, PT2M, PT1H or P1D (it must start with 'P')\n");
  EXPECT_EQ(errors("[http]\nidle_timeout = \"PT0S\"\n"),
            "kutsu.toml:2:16: error: 'idle_timeout' must be longer than zero\n");
  EXPECT_EQ(errors("[http]\nidle_timeout = \"PT61M\"\n"),
            "kutsu.toml:2:16: error: 'idle_timeout' must be at most PT1H, not PT61M\n");
  EXPECT_EQ(errors("[http]\nidle_timeout = 30\n"),
            "kutsu.toml:2:16: error: 'idle_timeout' must be a string, not an integer\n");
}

TEST_F(HttpLimits, PublicUrlIsHttpsOrLoopbackHttpWithoutTrailingSlash) {
  EXPECT_EQ(load("").public_url, std::nullopt);
  EXPECT_EQ(load("[http]\npublic_url = \"https://kutsu.example.org/\"\n").public_url,
            "https://kutsu.example.org");
  EXPECT_EQ(load("[http]\npublic_url = \"https://example.org/kutsu\"\n").public_url,
            "https://example.org/kutsu");
  EXPECT_EQ(load("[http]\npublic_url = \"http://127.0.0.1:8470\"\n").public_url,
            "http://127.0.0.1:8470");
  EXPECT_EQ(errors("[http]\npublic_url = \"http://kutsu.example.org\"\n"),
            "kutsu.toml:2:14: error: 'public_url' must start with https:// (http:// only for a "
            "loopback host), not http://kutsu.example.org\n");
  EXPECT_EQ(errors("[http]\npublic_url = \"kutsu.example.org\"\n"),
            "kutsu.toml:2:14: error: 'public_url': 'kutsu.example.org' is not an absolute URL\n");
  EXPECT_EQ(errors("[http]\npublic_url = \"https://kutsu.example.org/?a=1\"\n"),
            "kutsu.toml:2:14: error: 'public_url' must not have a query or fragment: links are "
            "made by adding /u/… and /calendar to it\n");
}

}  // namespace
}  // namespace kutsu::config
