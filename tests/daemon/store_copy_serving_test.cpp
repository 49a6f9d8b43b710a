// `kutsu store copy` beside real `kutsu serve` processes: it refuses an
// outbox a daemon is serving — a PostgreSQL node (its heartbeat and its
// connections) and an SQLite daemon (its admin address answers) — and copies
// what real nodes wrote once they have stopped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "store/outbox.h"
#include "tests/daemon/kutsu_cli.h"
#include "tests/daemon/serve_pg_support.h"
#include "tests/daemon/serve_support.h"
#include "tests/fixtures/smtp_server.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(StoreCopyServing, RefusesAPostgresqlOutboxWhileANodeServesAndCopiesItAfter) {
  testing::PgNodes nodes;
  // Far enough ahead that nothing is sent during the test.
  const testing::Instant start = testing::seconds_from_now(std::chrono::hours(2));
  nodes.add_node("a", {{"pian.toml", testing::series_toml({{"eka", start}}, "PT1H")},
                       {"pian.csv", testing::participants_csv(50)}});
  nodes.start("a");
  ASSERT_TRUE(nodes.await_scalar("SELECT count(*) FROM notifications", 100, 30s));

  testing::TempDir dir;
  const std::filesystem::path destination = dir.path() / "copy.db";
  auto refused = testing::run_kutsu(
      {"store", "copy", "--from", nodes.database(), "--to", destination.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr(" is in use: node a (heartbeat "));
  EXPECT_THAT(refused.err, HasSubstr("a connection from this machine"));
  EXPECT_FALSE(std::filesystem::exists(destination));

  ASSERT_EQ(nodes.node("a").terminate(), 0);
  // The node has stopped; its last heartbeat is taken as stale here rather
  // than waiting out the two minutes.
  nodes.scalar("WITH u AS (UPDATE nodes SET heartbeat_at = heartbeat_at - interval '10 minutes'"
               " RETURNING 1) SELECT count(*) FROM u");
  auto copied = testing::run_kutsu(
      {"store", "copy", "--from", nodes.database(), "--to", destination.string()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_THAT(copied.out, HasSubstr("copied 100 notifications, 0 attempts, 1 series version"));
  Result<store::Outbox> outbox = store::Outbox::open(destination);
  ASSERT_TRUE(outbox.ok()) << outbox.error().message;
  EXPECT_EQ(outbox->state_counts().value()[store::NotificationState::pending], 100);
}

TEST(StoreCopyServing, RefusesAnSqliteOutboxWhileItsDaemonServes) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "series.d");
  {
    std::ofstream(dir.path() / "series.d" / "pian.toml")
        << testing::series_toml({{"eka", testing::seconds_from_now(std::chrono::hours(2))}}, "PT1H");
    std::ofstream(dir.path() / "series.d" / "pian.csv") << testing::participants_csv(5);
    std::ofstream(dir.path() / "kutsu.toml") << testing::daemon_config(dir.path(), smtp.url());
  }
  testing::ServeProcess serve(dir.path() / "kutsu.toml");
  const std::filesystem::path destination = dir.path() / "copy.db";
  auto refused = testing::run_kutsu(
      {"store", "copy", "--from", (dir.path() / "state").string(), "--to", destination.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("a kutsu serve is running on the SQLite outbox"));
  EXPECT_FALSE(std::filesystem::exists(destination));

  ASSERT_EQ(serve.terminate(), 0);
  auto copied = testing::run_kutsu(
      {"store", "copy", "--from", (dir.path() / "state").string(), "--to", destination.string()});
  EXPECT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_THAT(copied.out, HasSubstr("copied 10 notifications"));
}

}  // namespace
}  // namespace kutsu::daemon
