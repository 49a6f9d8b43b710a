// Every validation rule of kutsu.toml, each reported at its line and column.
#include <gtest/gtest.h>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using testing::ConfigDir;

class ConfigValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("token", "t\n");
    dir_.write("password", "p\n");
    dir_.write("hook.secret", std::string(testing::kWebhookSecret) + "\n");
    dir_.write("plain.secret", "not-a-webhook-secret\n");
  }

  // The diagnostics of loading `toml`, one per line, the file shown as kutsu.toml.
  std::string errors(std::string_view toml) {
    ConfigLoad load = dir_.load(toml);
    EXPECT_EQ(load.config.has_value(), load.diagnostics.empty());
    std::string out;
    for (Diagnostic d : load.diagnostics) {
      EXPECT_EQ(d.file, dir_.config_file().string());
      d.file = "kutsu.toml";
      out += d.to_string() + "\n";
    }
    return out;
  }

  ConfigDir dir_;
};

TEST_F(ConfigValidation, ATomlSyntaxErrorPointsAtItsPlace) {
  EXPECT_EQ(
      errors("[daemon]\nseries_dir = \"unterminated\n"),
      "kutsu.toml:2:27: error: Error while parsing string: unescaped control characters other "
      "than TAB (U+0009) are explicitly prohibited\n");
}

TEST_F(ConfigValidation, UnknownKeysAreReportedAtTheKey) {
  EXPECT_EQ(errors("[daemon]\nseries_dri = \"x\"\n\n[emial]\n[[webhook]]\nname = \"a\"\n"
                   "url = \"https://h.example\"\nsecret_file = \"hook.secret\"\n  colour = 1\n"),
            "kutsu.toml:2:1: error: unknown key 'series_dri'\n"
            "kutsu.toml:4:2: error: unknown key 'emial'\n"
            "kutsu.toml:9:3: error: unknown key 'colour'\n");
}

TEST_F(ConfigValidation, WrongTypesAreReportedAtTheValue) {
  EXPECT_EQ(errors("daemon = 1\n"
                   "[http]\nlisten = 8470\n"
                   "[email]\nmax_connections = \"8\"\n"
                   "[delivery]\nbackoff = \"PT1M\"\ntimeout = 30\n"),
            "kutsu.toml:1:10: error: 'daemon' must be a table ([daemon]), not an integer\n"
            "kutsu.toml:3:10: error: 'listen' must be a string, not an integer\n"
            "kutsu.toml:5:19: error: 'max_connections' must be an integer, not a string\n"
            "kutsu.toml:7:11: error: 'backoff' must be an array of strings, not a string\n"
            "kutsu.toml:8:11: error: 'timeout' must be a string, not an integer\n");
  EXPECT_EQ(errors("[delivery]\nbackoff = [\"PT1M\", 60]\n"),
            "kutsu.toml:2:20: error: each item of 'backoff' must be a string, not an integer\n");
  EXPECT_EQ(errors("webhook = \"tiimi\"\n"),
            "kutsu.toml:1:11: error: 'webhook' must be an array of tables ([[webhook]]), not a "
            "string\n");
}

TEST_F(ConfigValidation, DurationsMustBeExactIsoDurations) {
  EXPECT_EQ(errors("[daemon]\nmisfire_grace = \"15 min\"\n"),
            "kutsu.toml:2:17: error: 'misfire_grace': '15 min' is not an exact duration such as "
            "PT30S, PT2M, PT1H or P1D (it must start with 'P')\n");
  EXPECT_EQ(errors("[delivery]\nbackoff = [\"PT30S\", \"P1M\"]\ntimeout = \"PT0S\"\n"),
            "kutsu.toml:2:21: error: 'backoff': 'P1M' is not an exact duration such as PT30S, "
            "PT2M, PT1H or P1D (years and months have no exact length)\n"
            "kutsu.toml:3:11: error: 'timeout' must be longer than zero\n");
  EXPECT_EQ(errors("[delivery]\nbackoff = [\"PT0S\"]\n"),
            "kutsu.toml:2:12: error: 'backoff' must be longer than zero\n");
  EXPECT_EQ(errors("[delivery]\nbackoff = []\n"),
            "kutsu.toml:2:11: error: 'backoff' must list at least one duration\n");
  // A grace of zero is allowed: "never send a reminder late".
  EXPECT_EQ(errors("[daemon]\nmisfire_grace = \"PT0S\"\n"), "");
}

TEST_F(ConfigValidation, PlanHorizonIsWholeDaysUpToTenYears) {
  EXPECT_EQ(errors("[daemon]\nplan_horizon = \"PT36H\"\n"),
            "kutsu.toml:2:16: error: 'plan_horizon' must be whole days from P1D to P3660D, not "
            "'PT36H'\n");
  EXPECT_EQ(errors("[daemon]\nplan_horizon = \"P4000D\"\n"),
            "kutsu.toml:2:16: error: 'plan_horizon' must be whole days from P1D to P3660D, not "
            "'P4000D'\n");
  EXPECT_EQ(errors("[daemon]\nplan_horizon = \"P0D\"\n"),
            "kutsu.toml:2:16: error: 'plan_horizon' must be longer than zero\n");
  EXPECT_EQ(errors("[daemon]\nplan_horizon = \"P2W\"\n"), "");
}

TEST_F(ConfigValidation, PathsMustNotBeEmpty) {
  EXPECT_EQ(errors("[daemon]\nstate_dir = \"\"\n[email]\nmaildir = \"\"\n"),
            "kutsu.toml:2:13: error: 'state_dir' must not be empty\n"
            "kutsu.toml:4:11: error: 'maildir' must not be empty\n");
}

TEST_F(ConfigValidation, ListenMustBeHostColonPort) {
  EXPECT_EQ(errors("[http]\nlisten = \"localhost:8470\"\n"),
            "kutsu.toml:2:10: error: listen address 'localhost:8470' must name an IP address, not "
            "a host name (expected HOST:PORT, e.g. 127.0.0.1:8470 or [::1]:8470)\n");
  EXPECT_EQ(errors("[http]\nlisten = \"127.0.0.1:99999\"\n"),
            "kutsu.toml:2:10: error: listen address '127.0.0.1:99999' has a port that is not a "
            "number from 0 to 65535 (expected HOST:PORT, e.g. 127.0.0.1:8470 or [::1]:8470)\n");
}

TEST_F(ConfigValidation, TransportAndStarttlsTakeOnlyTheirWords) {
  EXPECT_EQ(errors("[email]\ntransport = \"sendmail\"\nstarttls = \"yes\"\n"),
            "kutsu.toml:2:13: error: 'transport' must be smtp or maildir, not 'sendmail'\n"
            "kutsu.toml:3:12: error: 'starttls' must be required, opportunistic or off, not "
            "'yes'\n");
}

TEST_F(ConfigValidation, SmtpNeedsAUrlAndAFromAddress) {
  EXPECT_EQ(errors("\n[email]\ntransport = \"smtp\"\n"),
            "kutsu.toml:2:1: error: missing required key 'url' when transport is smtp\n"
            "kutsu.toml:2:1: error: missing required key 'from' when transport is smtp\n");
}

TEST_F(ConfigValidation, TheSmtpUrlMustBeSmtpOrSmtps) {
  const std::string tail = "\nfrom = \"a@example.org\"\n";
  EXPECT_EQ(errors("[email]\ntransport = \"smtp\"\nurl = \"http://mail.example.org\"" + tail),
            "kutsu.toml:3:7: error: 'url' must start with smtp:// or smtps://, not http://\n");
  EXPECT_EQ(errors("[email]\ntransport = \"smtp\"\nurl = \"mail.example.org:587\"" + tail),
            "kutsu.toml:3:7: error: 'url': 'mail.example.org:587' has no host\n");
  EXPECT_EQ(errors("[email]\ntransport = \"smtp\"\nurl = \"smtp://bad host\"" + tail),
            "kutsu.toml:3:7: error: 'url': 'smtp://bad host' is not an absolute URL\n");
  EXPECT_EQ(errors("[email]\ntransport = \"smtp\"\nurl = \"SMTPS://mail.example.org\"" + tail), "");
}

TEST_F(ConfigValidation, StarttlsOffOnlyForALoopbackHost) {
  const std::string head = "[email]\ntransport = \"smtp\"\nfrom = \"a@example.org\"\n";
  EXPECT_EQ(errors(head + "url = \"smtp://mail.example.org:25\"\nstarttls = \"off\"\n"),
            "kutsu.toml:5:12: error: starttls = \"off\" is allowed only for a loopback host "
            "(127.0.0.1, ::1, localhost), not 'mail.example.org'\n");
  for (std::string_view loopback :
       {"smtp://127.0.0.1:2525", "smtp://[::1]:2525", "smtp://localhost:2525"}) {
    EXPECT_EQ(errors(head + "url = \"" + std::string(loopback) + "\"\nstarttls = \"off\"\n"), "")
        << loopback;
  }
  // Implicit TLS does not depend on STARTTLS.
  EXPECT_EQ(errors(head + "url = \"smtps://mail.example.org\"\nstarttls = \"off\"\n"), "");
}

TEST_F(ConfigValidation, UsernameAndPasswordFileComeTogether) {
  EXPECT_EQ(errors("[email]\nusername = \"kutsu\"\n"),
            "kutsu.toml:2:12: error: 'username' needs 'password_file' beside it\n");
  EXPECT_EQ(errors("[email]\npassword_file = \"password\"\n"),
            "kutsu.toml:2:17: error: 'password_file' needs 'username' beside it\n");
}

TEST_F(ConfigValidation, FromMustBeOneLineWithAnAddress) {
  EXPECT_EQ(errors("[email]\nfrom = \"Webinaarit\"\n"),
            "kutsu.toml:2:8: error: 'from' must hold an e-mail address, e.g. \"Webinaarit "
            "<webinaarit@example.org>\"\n");
  EXPECT_EQ(errors("[email]\nfrom = \"a@example.org\\r\\nBcc: victim@example.org\"\n"),
            "kutsu.toml:2:8: error: 'from' must be one line\n");
}

TEST_F(ConfigValidation, CountsMustBeAtLeastOne) {
  EXPECT_EQ(errors("[email]\nmax_connections = 0\n[delivery]\nmax_attempts = 0\n"),
            "kutsu.toml:2:19: error: 'max_connections' must be from 1 to 1000, not 0\n"
            "kutsu.toml:4:16: error: 'max_attempts' must be from 1 to 1000, not 0\n");
  EXPECT_EQ(errors("[delivery]\nmax_attempts = 1\n"), "");
}

TEST_F(ConfigValidation, SecretFilesMustBeReadable) {
  EXPECT_EQ(errors("[http]\ntoken_file = \"missing-token\"\n"),
            "kutsu.toml:2:14: error: 'token_file': cannot read '" +
                (dir_.path() / "missing-token").string() + "': No such file or directory\n");
  dir_.write("empty", "\n");
  EXPECT_EQ(errors("[email]\nusername = \"u\"\npassword_file = \"empty\"\n"),
            "kutsu.toml:3:17: error: 'password_file': " + (dir_.path() / "empty").string() +
                " is empty\n");
}

TEST_F(ConfigValidation, AWebhookNeedsNameUrlAndSecretFile) {
  EXPECT_EQ(errors("[[webhook]]\nformat = \"json\"\n"),
            "kutsu.toml:1:1: error: missing required key 'name'\n"
            "kutsu.toml:1:1: error: missing required key 'url'\n"
            "kutsu.toml:1:1: error: missing required key 'secret_file'\n");
}

TEST_F(ConfigValidation, WebhookNamesAreUniqueAndPlain) {
  const std::string rest = "url = \"https://h.example\"\nsecret_file = \"hook.secret\"\n";
  EXPECT_EQ(errors("[[webhook]]\nname = \"tiimi\"\n" + rest + "\n[[webhook]]\nname = \"tiimi\"\n" +
                   rest + "[[webhook]]\nname = \"my hook\"\n" + rest),
            "kutsu.toml:7:8: error: duplicate webhook name 'tiimi' (first defined on line 2)\n"
            "kutsu.toml:11:8: error: webhook name 'my hook' may use only letters, digits, '-' and "
            "'_'\n");
}

TEST_F(ConfigValidation, WebhookUrlsAreHttpsOrLoopbackHttp) {
  const std::string head = "[[webhook]]\nname = \"a\"\nsecret_file = \"hook.secret\"\n";
  EXPECT_EQ(errors(head + "url = \"http://hooks.example.org/x\"\n"),
            "kutsu.toml:4:7: error: 'url' must start with https:// (http:// only for a loopback "
            "host), not http://hooks.example.org\n");
  EXPECT_EQ(errors(head + "url = \"ftp://127.0.0.1/x\"\n"),
            "kutsu.toml:4:7: error: 'url' must start with https:// (http:// only for a loopback "
            "host), not ftp://127.0.0.1\n");
  EXPECT_EQ(errors(head + "url = \"http://127.0.0.1:8080/x\"\n"), "");
  EXPECT_EQ(errors(head + "url = \"http://[::1]:8080/x\"\n"), "");
  EXPECT_EQ(errors(head + "url = \"https://hooks.example.org/x\"\n"), "");
}

TEST_F(ConfigValidation, AWebhookSecretMustBeAStandardWebhooksSecret) {
  EXPECT_EQ(errors("[[webhook]]\nname = \"a\"\nurl = \"https://h.example\"\n"
                   "secret_file = \"plain.secret\"\n"),
            "kutsu.toml:4:15: error: 'secret_file': " + (dir_.path() / "plain.secret").string() +
                " does not hold a Standard Webhooks secret ('whsec_' followed by base64)\n");
}

TEST_F(ConfigValidation, WebhookFormatIsJson) {
  EXPECT_EQ(errors("[[webhook]]\nname = \"a\"\nurl = \"https://h.example\"\n"
                   "secret_file = \"hook.secret\"\nformat = \"slack\"\n"),
            "kutsu.toml:5:10: error: 'format' must be json, not 'slack'\n");
}

TEST_F(ConfigValidation, EveryProblemIsReportedInFileOrder) {
  EXPECT_EQ(errors("[delivery]\nmax_attempts = 0\n[daemon]\nmisfire_grace = \"soon\"\n"
                   "[http]\nlisten = \"nowhere\"\n"),
            "kutsu.toml:2:16: error: 'max_attempts' must be from 1 to 1000, not 0\n"
            "kutsu.toml:4:17: error: 'misfire_grace': 'soon' is not an exact duration such as "
            "PT30S, PT2M, PT1H or P1D (it must start with 'P')\n"
            "kutsu.toml:6:10: error: listen address 'nowhere' has no port (expected HOST:PORT, "
            "e.g. 127.0.0.1:8470 or [::1]:8470)\n");
}

}  // namespace
}  // namespace kutsu::config
