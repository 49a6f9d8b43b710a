// make_transports: the deliveries a daemon config asks for — a maildir or an
// SMTP pool for e-mail, webhook calls only with [[webhook]]s — and the two
// translations of config values it makes (STARTTLS, the whsec_ secret).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "service/transports.h"
#include "tests/config/config_test_support.h"

namespace kutsu::service {
namespace {

using config::testing::ConfigDir;
using config::testing::kWebhookSecret;

date::sys_seconds fixed_now() { return date::sys_seconds{std::chrono::seconds{1'700'000'000}}; }

class TransportsTest : public ::testing::Test {
 protected:
  config::DaemonConfig load(const std::string& toml) {
    config::ConfigLoad load = dir_.load(toml);
    if (!load.config) throw std::runtime_error(config::testing::printed(load.diagnostics));
    return std::move(*load.config);
  }

  ConfigDir dir_;
  boost::asio::io_context io_;
  boost::asio::thread_pool disk_{1};
};

TEST(TransportSettings, StartTlsKeepsItsMeaning) {
  EXPECT_EQ(starttls_of(config::StartTls::required), notifier::StartTls::required);
  EXPECT_EQ(starttls_of(config::StartTls::opportunistic), notifier::StartTls::opportunistic);
  EXPECT_EQ(starttls_of(config::StartTls::off), notifier::StartTls::off);
}

TEST_F(TransportsTest, AWebhookKeyGoesBackToTheSecretItWasReadFrom) {
  dir_.write("hook.secret", std::string(kWebhookSecret) + "\n");
  const config::DaemonConfig config = load(
      "[[webhook]]\nname = \"tiimi\"\nurl = \"https://h.example/x\"\nsecret_file = \"hook.secret\"\n");
  ASSERT_EQ(config.webhooks.size(), 1u);
  EXPECT_EQ(whsec_of(config.webhooks[0].signing_key), kWebhookSecret);
  EXPECT_EQ(whsec_of(config::Secret("a")), "whsec_YQ==");
  EXPECT_EQ(whsec_of(config::Secret("")), "whsec_");
}

TEST_F(TransportsTest, TheDefaultConfigWritesToAMaildirAndHasNoWebhooks) {
  const config::DaemonConfig config = load("");
  Result<Transports> made = make_transports(io_, disk_.get_executor(), config, fixed_now);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_NE(made->email, nullptr);
  EXPECT_EQ(made->webhooks, nullptr);
  EXPECT_EQ(made->deliveries().email, made->email.get());
  EXPECT_EQ(made->deliveries().webhooks, nullptr);
  disk_.join();
}

TEST_F(TransportsTest, WebhooksAndAnSmtpPoolWhenTheConfigAsks) {
  dir_.write("hook.secret", std::string(kWebhookSecret) + "\n");
  const config::DaemonConfig config = load(
      "[email]\ntransport = \"smtp\"\nurl = \"smtp://127.0.0.1:2525\"\nstarttls = \"off\"\n"
      "from = \"Kutsu <kutsu@example.org>\"\n"
      "[[webhook]]\nname = \"tiimi\"\nurl = \"https://h.example/x\"\nsecret_file = \"hook.secret\"\n");
  Result<Transports> made = make_transports(io_, disk_.get_executor(), config, fixed_now);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_NE(made->email, nullptr);
  EXPECT_NE(made->webhooks, nullptr);
  EXPECT_EQ(made->deliveries().webhooks, made->webhooks.get());
  disk_.join();
}

TEST_F(TransportsTest, SettingsTheNotifierRefusesAreItsError) {
  config::DaemonConfig config = load("");
  config.email.transport = config::EmailTransport::smtp;
  config.email.url = "ftp://mail.example.org";
  Result<Transports> made = make_transports(io_, disk_.get_executor(), config, fixed_now);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("must start with smtp:// or smtps://"), std::string::npos)
      << made.error().message;
  disk_.join();
}

}  // namespace
}  // namespace kutsu::service
