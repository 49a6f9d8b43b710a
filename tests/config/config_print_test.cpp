// Printing a config shows every effective setting and never a secret.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using testing::ConfigDir;
using testing::printed;

TEST(ConfigPrint, ShowsEverySettingAndHidesEverySecret) {
  ConfigDir dir;
  dir.write("token", "admin-token-value\n");
  dir.write("password", "smtp-password-value\n");
  dir.write("hook.secret", std::string(testing::kWebhookSecret) + "\n");
  ConfigLoad load = dir.load(R"toml([http]
token_file = "token"
[email]
transport = "smtp"
url = "smtps://mail.example.org"
username = "kutsu"
password_file = "password"
from = "Webinaarit <webinaarit@example.org>"
[[webhook]]
name = "tiimi"
url = "https://hooks.example.org/x"
secret_file = "hook.secret"
)toml");
  ASSERT_TRUE(load.config) << printed(load.diagnostics);
  std::ostringstream out;
  out << *load.config;
  const std::string text = out.str();
  const std::string d = dir.path().string();

  EXPECT_EQ(text,
            "[daemon]\n"
            "cancel_delay = 'PT10M'\n"
            "misfire_grace = 'PT15M'\n"
            "plan_horizon = 'P400D'\n"
            "series_dir = '" +
                d +
                "/series'\n"
                "state_dir = '" +
                d +
                "/var'\n"
                "\n"
                "[delivery]\n"
                "backoff = [ 'PT30S', 'PT2M', 'PT10M', 'PT30M', 'PT1H' ]\n"
                "max_attempts = 8\n"
                "timeout = 'PT30S'\n"
                "\n"
                "[email]\n"
                "from = 'Webinaarit <webinaarit@example.org>'\n"
                "maildir = '" +
                d +
                "/var/maildir'\n"
                "max_connections = 8\n"
                "password = '***'\n"
                "password_file = '" +
                d +
                "/password'\n"
                "starttls = 'required'\n"
                "transport = 'smtp'\n"
                "url = 'smtps://mail.example.org'\n"
                "username = 'kutsu'\n"
                "\n"
                "[http]\n"
                "idle_timeout = 'PT30S'\n"
                "listen = '127.0.0.1:8470'\n"
                "max_connections = 512\n"
                "max_connections_per_client = 32\n"
                "token = '***'\n"
                "token_file = '" +
                d +
                "/token'\n"
                "\n"
                "[[webhook]]\n"
                "format = 'json'\n"
                "name = 'tiimi'\n"
                "secret_file = '" +
                d +
                "/hook.secret'\n"
                "signing_key = '***'\n"
                "url = 'https://hooks.example.org/x'\n");
  for (std::string_view secret :
       {std::string_view("admin-token-value"), std::string_view("smtp-password-value"),
        testing::kWebhookSecret, testing::kWebhookKeyBase64}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST(ConfigPrint, DiagnosticsAboutSecretsDoNotQuoteThem) {
  ConfigDir dir;
  dir.write("hook.secret", "whsec_this-is-secret-but-broken!!\n");
  ConfigLoad load = dir.load(
      "[[webhook]]\nname = \"a\"\nurl = \"https://h.example\"\n"
      "secret_file = \"hook.secret\"\n");
  ASSERT_FALSE(load.config);
  EXPECT_EQ(printed(load.diagnostics).find("this-is-secret"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::config
