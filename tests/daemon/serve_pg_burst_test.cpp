// Three `kutsu serve` nodes on one PostgreSQL database (issue #14): a burst
// of 1,500 e-mails due at one instant arrives exactly once each at the real
// SMTP server, with every node taking part, and the outbox counts them all
// sent.
#include <gtest/gtest.h>

#include <iostream>

#include "tests/daemon/serve_pg_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ServePgBurstTest, ThreeNodesSendABurstOf1500ExactlyOnce) {
  testing::PgNodes nodes;
  // 750 people, each with an invitation and a reminder due at the same
  // second (both PT5S before the session).
  const testing::Instant start = testing::seconds_from_now(20s);
  const std::map<std::string, std::string> files{
      {"pian.toml", testing::series_toml({{"eka", start}}, "PT5S")},
      {"pian.csv", testing::participants_csv(750)}};
  for (const std::string name : {"a", "b", "c"}) nodes.add_node(name, files);
  for (const std::string name : {"a", "b", "c"}) nodes.start(name);
  ASSERT_EQ(nodes.scalar("SELECT count(*) FROM notifications WHERE due = " +
                         std::to_string((start - 5s).time_since_epoch().count())),
            1500)
      << "the plan is not what this test expects";

  ASSERT_TRUE(nodes.receive_until([&] { return nodes.received().size() >= 1500; }, 30s))
      << "received " << nodes.received().size();
  // Every row recorded sent, then nothing more comes.
  EXPECT_TRUE(nodes.await_scalar("SELECT count(*) FROM notifications WHERE state = 'sent'", 1500,
                                 30s));
  nodes.receive_while_any(1500ms);
  EXPECT_EQ(nodes.received().size(), 1500u);
  EXPECT_EQ(nodes.received_total(), 1500u) << "some arrived twice";
  int total = 0;
  for (const std::string name : {"a", "b", "c"}) {
    const int sent = nodes.sent_by(name);
    std::cout << "node " << name << " sent " << sent << "\n";
    EXPECT_GT(sent, 0) << "node " << name << " took no part";
    total += sent;
  }
  EXPECT_EQ(total, 1500);
  for (const std::string name : {"a", "b", "c"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

}  // namespace
}  // namespace kutsu::daemon
