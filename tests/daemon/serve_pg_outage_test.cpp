// The database restarting in the middle of a burst (issue #14): a fast
// shutdown (what `pg_ctl restart -m fast` does first) and a start on the
// same data while two nodes send 1,000 e-mails. The nodes answer /healthz
// 503 while it is down, connect again with backoff, record the results of
// what they sent meanwhile, and go on: every e-mail arrives exactly once
// and the outbox counts them all sent.
#include <gtest/gtest.h>

#include "tests/daemon/serve_pg_support.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/postgres_cluster.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

int healthz(int port) {
  kutsu::testing::HttpClient client(port);
  Result<kutsu::testing::HttpReply> reply = client.get("/healthz");
  return reply.ok() ? reply->status : -1;
}

TEST(ServePgOutageTest, ARestartOfTheDatabaseMidBurstLosesNothingAndSendsNothingTwice) {
  // A lease longer than the restart and the reconnect: nobody takes over
  // what a node still holds, and a claim committed just as the server went
  // down (its answer lost) is taken over soon after.
  testing::PgNodes nodes("PT10S");
  const testing::Instant start = testing::seconds_from_now(20s);
  const std::map<std::string, std::string> files{
      {"pian.toml", testing::series_toml({{"eka", start}}, "PT5S")},
      {"pian.csv", testing::participants_csv(500)}};
  for (const std::string name : {"a", "b"}) nodes.add_node(name, files);
  for (const std::string name : {"a", "b"}) nodes.start(name);

  ASSERT_TRUE(nodes.receive_until([&] { return nodes.received().size() >= 150; }, 40s))
      << "the burst did not begin";
  kutsu::testing::PostgresCluster& cluster = kutsu::testing::PostgresCluster::shared();
  cluster.stop();
  EXPECT_TRUE(nodes.node("a").wait_for("connection to PostgreSQL was lost", 15s));
  EXPECT_EQ(healthz(nodes.node("a").admin_port()), 503);
  cluster.start();

  ASSERT_TRUE(nodes.receive_until([&] { return nodes.received().size() >= 1000; }, 40s))
      << "received " << nodes.received().size() << " of 1000";
  EXPECT_TRUE(nodes.await_scalar("SELECT count(*) FROM notifications WHERE state = 'sent'", 1000,
                                 40s))
      << nodes.node("a").process().stdout_text();
  nodes.receive_while_any(1500ms);
  EXPECT_EQ(nodes.received().size(), 1000u);
  EXPECT_EQ(nodes.received_total(), 1000u) << "some arrived twice";
  for (const std::string name : {"a", "b"}) {
    const std::string& log = nodes.node(name).process().stdout_text();
    EXPECT_NE(log.find("PostgreSQL is back"), std::string::npos) << name;
    EXPECT_EQ(healthz(nodes.node(name).admin_port()), 200) << name;
  }
  for (const std::string name : {"a", "b"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

}  // namespace
}  // namespace kutsu::daemon
