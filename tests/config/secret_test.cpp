// Secrets: read from files, trimmed, looked up in $CREDENTIALS_DIRECTORY,
// never printed.
#include "config/secret.h"

#include <gtest/gtest.h>

#include <sstream>

#include "config/detail/secret_file.h"
#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using detail::decode_webhook_secret;
using detail::read_secret_file;
using detail::resolve_secret_path;
using detail::SecretLookup;
using testing::ConfigDir;

TEST(Secret, PrintsAsStarsAndRevealsOnlyOnRequest) {
  Secret secret("hunter2");
  std::ostringstream out;
  out << secret;
  EXPECT_EQ(out.str(), "***");
  EXPECT_EQ(secret.to_string(), "***");
  EXPECT_EQ(secret.reveal(), "hunter2");
  Secret copy = secret;
  Secret moved = std::move(copy);
  EXPECT_EQ(moved.reveal(), "hunter2");
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is wiped
}

TEST(SecretFile, TrimsSurroundingWhitespaceOnly) {
  ConfigDir dir;
  std::filesystem::path file = dir.write("password", "  s3cret with  inner space\n\n");
  EXPECT_EQ(read_secret_file(file).value().reveal(), "s3cret with  inner space");
  file = dir.write("crlf", "token\r\n");
  EXPECT_EQ(read_secret_file(file).value().reveal(), "token");
}

TEST(SecretFile, ProblemsNameThePathNeverTheContent) {
  ConfigDir dir;
  Result<Secret> missing = read_secret_file(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read '" + (dir.path() / "nope").string() + "': No such file or directory");

  std::filesystem::path blank = dir.write("blank", " \n\t\n");
  ASSERT_FALSE(read_secret_file(blank).ok());
  EXPECT_EQ(read_secret_file(blank).error().message, blank.string() + " is empty");

  Result<Secret> folder = read_secret_file(dir.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message,
            "cannot read '" + dir.path().string() + "': it is a folder, not a file");

  std::filesystem::path huge = dir.write("huge", std::string(70 * 1024, 'x'));
  ASSERT_FALSE(read_secret_file(huge).ok());
  EXPECT_EQ(read_secret_file(huge).error().message,
            "'" + huge.string() + "' is larger than 64 KiB, the most a secret file may be");

  // Endless devices would fill memory; they are refused by their type.
  ASSERT_FALSE(read_secret_file("/dev/zero").ok());
  EXPECT_EQ(read_secret_file("/dev/zero").error().message,
            "cannot read '/dev/zero': it is a device, not a regular file");
}

TEST(SecretFile, RelativeNamesAreLookedUpInTheCredentialsDirectoryFirst) {
  ConfigDir dir;
  dir.write("etc/smtp-password", "from-config-dir\n");
  dir.write("credentials/smtp-password", "from-credentials\n");
  const SecretLookup with_credentials{dir.path() / "etc", dir.path() / "credentials"};
  const SecretLookup without{dir.path() / "etc", std::nullopt};

  EXPECT_EQ(resolve_secret_path("smtp-password", with_credentials),
            dir.path() / "credentials" / "smtp-password");
  EXPECT_EQ(resolve_secret_path("smtp-password", without), dir.path() / "etc" / "smtp-password");
  // Not among the credentials: back to the config's folder.
  EXPECT_EQ(resolve_secret_path("other", with_credentials), dir.path() / "etc" / "other");
  // Absolute paths are taken as written.
  EXPECT_EQ(resolve_secret_path("/etc/kutsu/token", with_credentials), "/etc/kutsu/token");
}

TEST(WebhookSecret, DecodesTheBase64AfterWhsec) {
  Result<Secret> key = decode_webhook_secret(Secret(std::string(testing::kWebhookSecret)), "f");
  ASSERT_TRUE(key.ok()) << key.error().message;
  // 24 bytes: 31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0
  const unsigned char expected[] = {0x31, 0xf2, 0x90, 0xf6, 0xbf, 0x06, 0x29, 0x8a,
                                    0xab, 0x4f, 0x08, 0xd4, 0x3c, 0x3f, 0x08, 0x2c,
                                    0xf6, 0x48, 0xa3, 0x62, 0xda, 0x2d, 0xa4, 0xb0};
  EXPECT_EQ(key->reveal(), std::string(reinterpret_cast<const char*>(expected), sizeof expected));
  // Padding is understood.
  EXPECT_EQ(decode_webhook_secret(Secret("whsec_YWJjZA=="), "f").value().reveal(), "abcd");
}

TEST(WebhookSecret, RefusesAnythingElseWithoutShowingIt) {
  const std::string expected =
      "/etc/kutsu/tiimi.secret does not hold a Standard Webhooks secret ('whsec_' followed by "
      "base64)";
  for (std::string_view bad : {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!",
                               "whsec_YWJjZA=", "whsec_YWJ", "whsec_YWJj-ZA==", "whsec_YW Jj",
                               "whsec_YWJjZA===", "whsec_=YWJjZA="}) {
    Result<Secret> key = decode_webhook_secret(Secret(std::string(bad)), "/etc/kutsu/tiimi.secret");
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.error().message, expected) << bad;
  }
}

}  // namespace
}  // namespace kutsu::config
