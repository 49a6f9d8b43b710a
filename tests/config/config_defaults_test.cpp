// Loading kutsu.toml: the embedded defaults, the full example of
// interfaces.md, relative paths, $CREDENTIALS_DIRECTORY.
#include <gtest/gtest.h>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using namespace std::chrono_literals;
using testing::ConfigDir;
using testing::printed;

TEST(ConfigDefaults, AnEmptyFileGivesEveryDefault) {
  ConfigDir dir;
  ConfigLoad load = dir.load("");
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  const DaemonConfig& config = *load.config;
  EXPECT_EQ(config.file, dir.config_file());
  EXPECT_EQ(config.daemon.series_dir, dir.path() / "series");
  EXPECT_EQ(config.daemon.state_dir, dir.path() / "var");
  EXPECT_EQ(config.daemon.misfire_grace, 15min);
  EXPECT_EQ(config.daemon.plan_horizon, std::chrono::days{400});
  EXPECT_EQ(config.http.listen, (ListenAddress{"127.0.0.1", 8470}));
  EXPECT_EQ(config.http.token_file, std::nullopt);
  EXPECT_FALSE(config.http.token);
  EXPECT_EQ(config.email.transport, EmailTransport::maildir);
  EXPECT_EQ(config.email.maildir, dir.path() / "var" / "maildir");
  EXPECT_EQ(config.email.starttls, StartTls::required);
  EXPECT_EQ(config.email.from, "Kutsu <kutsu@localhost>");
  EXPECT_EQ(config.email.url, "");
  EXPECT_EQ(config.email.username, std::nullopt);
  EXPECT_FALSE(config.email.password);
  EXPECT_EQ(config.email.max_connections, 8);
  EXPECT_TRUE(config.webhooks.empty());
  EXPECT_EQ(config.delivery.max_attempts, 8);
  EXPECT_EQ(config.delivery.backoff,
            (std::vector<std::chrono::seconds>{30s, 2min, 10min, 30min, 1h}));
  EXPECT_EQ(config.delivery.timeout, 30s);
}

TEST(ConfigDefaults, EmptyTablesKeepTheDefaultsToo) {
  ConfigDir dir;
  ConfigLoad load = dir.load("[daemon]\n[http]\n[email]\n[delivery]\n");
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  EXPECT_EQ(load.config->daemon.misfire_grace, 15min);
  EXPECT_EQ(load.config->email.transport, EmailTransport::maildir);
  EXPECT_EQ(load.config->delivery.backoff.size(), 5u);
}

TEST(ConfigDefaults, TheLastBackoffRepeats) {
  DeliverySettings delivery{8, {30s, 2min, 1h}, 30s};
  EXPECT_EQ(delivery.backoff_after(1), 30s);
  EXPECT_EQ(delivery.backoff_after(2), 2min);
  EXPECT_EQ(delivery.backoff_after(3), 1h);
  EXPECT_EQ(delivery.backoff_after(7), 1h);
}

// interfaces.md's example, with the secret files placed beside it.
constexpr std::string_view kFullExample = R"toml([daemon]
series_dir = "/etc/kutsu/series.d"
state_dir = "/var/lib/kutsu"
misfire_grace = "PT10M"
plan_horizon = "P90D"

[http]
listen = "[::1]:9000"
token_file = "admin-token"

[email]
transport = "smtp"
url = "smtp://mail.example.org:587"
starttls = "opportunistic"
username = "kutsu"
password_file = "secrets/smtp-password"
from = "Webinaarit <webinaarit@example.org>"
maildir = "./var/maildir"
max_connections = 4

[[webhook]]
name = "tiimi"
url = "https://hooks.example.org/kutsu"
secret_file = "tiimi.secret"
format = "json"

[[webhook]]
name = "testi"
url = "http://127.0.0.1:8080/hook"
secret_file = "tiimi.secret"

[delivery]
max_attempts = 3
backoff = ["PT30S", "PT2M"]
timeout = "PT1M"
)toml";

TEST(ConfigDefaults, TheFullExampleLoadsEveryValue) {
  ConfigDir dir;
  dir.write("admin-token", "token-123\n");
  dir.write("secrets/smtp-password", "salasana\n");
  dir.write("tiimi.secret", std::string(testing::kWebhookSecret) + "\n");
  ConfigLoad load = dir.load(kFullExample);
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  const DaemonConfig& config = *load.config;
  EXPECT_EQ(config.daemon.series_dir, "/etc/kutsu/series.d");
  EXPECT_EQ(config.daemon.state_dir, "/var/lib/kutsu");
  EXPECT_EQ(config.daemon.misfire_grace, 10min);
  EXPECT_EQ(config.daemon.plan_horizon, std::chrono::days{90});
  EXPECT_EQ(config.http.listen, (ListenAddress{"::1", 9000}));
  EXPECT_EQ(config.http.token_file, dir.path() / "admin-token");
  EXPECT_EQ(config.http.token->reveal(), "token-123");
  EXPECT_EQ(config.email.transport, EmailTransport::smtp);
  EXPECT_EQ(config.email.url, "smtp://mail.example.org:587");
  EXPECT_EQ(config.email.starttls, StartTls::opportunistic);
  EXPECT_EQ(config.email.username, "kutsu");
  EXPECT_EQ(config.email.password_file, dir.path() / "secrets" / "smtp-password");
  EXPECT_EQ(config.email.password->reveal(), "salasana");
  EXPECT_EQ(config.email.from, "Webinaarit <webinaarit@example.org>");
  EXPECT_EQ(config.email.maildir, dir.path() / "var" / "maildir");
  EXPECT_EQ(config.email.max_connections, 4);
  ASSERT_EQ(config.webhooks.size(), 2u);
  EXPECT_EQ(config.webhooks[0].name, "tiimi");
  EXPECT_EQ(config.webhooks[0].url, "https://hooks.example.org/kutsu");
  EXPECT_EQ(config.webhooks[0].secret_file, dir.path() / "tiimi.secret");
  EXPECT_EQ(config.webhooks[0].signing_key.reveal().size(), 24u);
  EXPECT_EQ(config.webhooks[0].format, "json");
  EXPECT_EQ(config.webhooks[1].url, "http://127.0.0.1:8080/hook");
  EXPECT_EQ(config.webhook("testi"), &config.webhooks[1]);
  EXPECT_EQ(config.webhook("muu"), nullptr);
  EXPECT_EQ(config.delivery.max_attempts, 3);
  EXPECT_EQ(config.delivery.backoff, (std::vector<std::chrono::seconds>{30s, 2min}));
  EXPECT_EQ(config.delivery.timeout, 1min);
}

TEST(ConfigDefaults, RelativePathsResolveAgainstTheConfigsFolderNotTheWorkingDirectory) {
  ConfigDir dir;
  dir.write("etc/kutsu.toml", "[daemon]\nseries_dir = \"series.d\"\nstate_dir = \"../state\"\n");
  ConfigLoad load = load_config(dir.path() / "etc" / "kutsu.toml", ConfigEnvironment{});
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  EXPECT_EQ(load.config->daemon.series_dir, dir.path() / "etc" / "series.d");
  EXPECT_EQ(load.config->daemon.state_dir, dir.path() / "state");
  EXPECT_EQ(load.config->email.maildir, dir.path() / "etc" / "var" / "maildir");
}

TEST(ConfigDefaults, SecretFilesComeFromTheCredentialsDirectoryWhenThere) {
  ConfigDir dir;
  dir.write("admin-token", "from-config-dir\n");
  dir.write("creds/admin-token", "  from-credentials  \n");
  ConfigLoad with = dir.load("[http]\ntoken_file = \"admin-token\"\n", dir.path() / "creds");
  ASSERT_TRUE(with.config) << printed(with.diagnostics);
  EXPECT_EQ(with.config->http.token->reveal(), "from-credentials");
  EXPECT_EQ(with.config->http.token_file, dir.path() / "creds" / "admin-token");

  ConfigLoad without = dir.load("[http]\ntoken_file = \"admin-token\"\n");
  ASSERT_TRUE(without.config) << printed(without.diagnostics);
  EXPECT_EQ(without.config->http.token->reveal(), "from-config-dir");
}

TEST(ConfigDefaults, TheProcessEnvironmentNamesTheCredentialsDirectory) {
  ConfigDir dir;
  dir.write("creds/admin-token", "from-systemd\n");
  ASSERT_EQ(setenv("CREDENTIALS_DIRECTORY", (dir.path() / "creds").c_str(), 1), 0);
  EXPECT_EQ(ConfigEnvironment::from_process().credentials_directory, dir.path() / "creds");
  dir.write("kutsu.toml", "[http]\ntoken_file = \"admin-token\"\n");
  ConfigLoad load = load_config(dir.config_file());
  ASSERT_EQ(unsetenv("CREDENTIALS_DIRECTORY"), 0);
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  EXPECT_EQ(load.config->http.token->reveal(), "from-systemd");
  EXPECT_EQ(ConfigEnvironment::from_process().credentials_directory, std::nullopt);
}

TEST(ConfigDefaults, AMissingConfigFileIsOneDiagnostic) {
  ConfigDir dir;
  ConfigLoad load = load_config(dir.path() / "missing.toml", ConfigEnvironment{});
  EXPECT_FALSE(load.config);
  const std::string file = (dir.path() / "missing.toml").string();
  EXPECT_EQ(printed(load.diagnostics),
            file + ": error: cannot read '" + file + "': No such file or directory\n");
}

}  // namespace
}  // namespace kutsu::config
