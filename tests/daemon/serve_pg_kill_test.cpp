// kill -9 of one of three nodes right after the due time (issue #14):
// nothing is lost, the only duplicates are rows the dead node had in flight
// (claimed and not recorded: `sending` under its name at the kill), and the
// others send the rest once its lease ran out.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>

#include "tests/daemon/serve_pg_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ServePgKillTest, KillNineOfOneNodeLosesNothingAndDuplicatesOnlyItsInFlight) {
  testing::PgNodes nodes("PT5S");  // the shortest lease [store] takes
  // Both a minute before the session: c's rows taken over after its lease
  // are still in time for their reminders (the misfire rule would mark a
  // reminder claimed after its session began missed, not send it).
  const testing::Instant start = testing::seconds_from_now(75s);
  std::string series = testing::series_toml({{"eka", start}}, "PT1M");
  const std::string reminder = "[[reminder]]\nbefore = \"PT5S\"";
  series.replace(series.find(reminder), reminder.size(), "[[reminder]]\nbefore = \"PT1M\"");
  const std::map<std::string, std::string> files{
      {"pian.toml", series},
      {"pian.csv", testing::participants_csv(750)}};
  for (const std::string name : {"a", "b", "c"}) nodes.add_node(name, files);
  for (const std::string name : {"a", "b", "c"}) nodes.start(name);

  // Right after the due time: c's first send is logged.
  ASSERT_TRUE(nodes.node("c").wait_for(" info sent ", 40s)) << nodes.node("c").process().stdout_text();
  nodes.node("c").process().send_signal(SIGKILL);
  ASSERT_EQ(nodes.node("c").process().wait(15s), 128 + SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  // What c had claimed and not recorded: only these may arrive twice. Read
  // at once, well inside the lease, before anyone took them over.
  const long long in_flight = nodes.scalar(
      "SELECT count(*) FROM notifications WHERE state = 'sending' AND claimed_by = 'c'");

  ASSERT_TRUE(nodes.receive_until([&] { return nodes.received().size() >= 1500; }, 30s))
      << "received " << nodes.received().size() << " of 1500";
  const auto all_in = std::chrono::steady_clock::now();
  EXPECT_TRUE(nodes.await_scalar("SELECT count(*) FROM notifications WHERE state = 'sent'", 1500,
                                 30s));
  nodes.receive_while_any(1500ms);
  EXPECT_EQ(nodes.scalar("SELECT count(*) FROM notifications WHERE state <> 'sent'"), 0);
  EXPECT_EQ(nodes.received().size(), 1500u);
  const long long duplicates = static_cast<long long>(nodes.received_total()) - 1500;
  std::cout << "in flight at c's kill -9: " << in_flight << ", duplicates: " << duplicates
            << ", all in " << std::chrono::duration_cast<std::chrono::milliseconds>(all_in - killed_at).count()
            << " ms after the kill\n";
  EXPECT_LE(duplicates, in_flight);
  // The others take c's rows over within the lease (5 s) and a take-over
  // period (2.5 s); the rest is sending time.
  EXPECT_LT(all_in - killed_at, 20s);
  for (const auto& [id, count] : nodes.received()) EXPECT_LE(count, 2) << id;
  for (const std::string name : {"a", "b"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

}  // namespace
}  // namespace kutsu::daemon
