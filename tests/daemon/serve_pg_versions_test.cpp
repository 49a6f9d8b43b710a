// Series versions across nodes (issue #14): two nodes reloading the same
// change at once apply one diff between them (the plan lock); a node with
// an older copy of a series file never sends that series' rows.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <utility>

#include "tests/daemon/serve_pg_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

// "N new, M rescheduled" from a load's "series pian from FILE: …" line;
// nothing new or moved for a plan found stored already (its digest).
std::pair<int, int> diff_in(const std::string& line) {
  static const std::regex kDiff(R"(\((\d+) new, (\d+) rescheduled)");
  if (line.find("planned as when last stored") != std::string::npos) return {0, 0};
  std::smatch match;
  if (!std::regex_search(line, match, kDiff)) return {-1, -1};
  return {std::stoi(match[1]), std::stoi(match[2])};
}

TEST(ServePgVersionsTest, TwoNodesReloadingTheSameChangeAtOnceApplyOneDiff) {
  testing::PgNodes nodes;
  // Far enough ahead that nothing is sent during the test.
  const testing::Instant start = testing::seconds_from_now(std::chrono::hours(2));
  const std::map<std::string, std::string> files{
      {"pian.toml", testing::series_toml({{"eka", start}}, "PT1H")},
      {"pian.csv", testing::participants_csv(200)}};
  for (const std::string name : {"a", "b"}) nodes.add_node(name, files);
  for (const std::string name : {"a", "b"}) nodes.start(name);

  // The session moves an hour later on both nodes: the 200 invitations
  // move, and the 200 reminders (whose ids name the session's start) are
  // replaced by 200 new ones.
  const std::string moved = testing::series_toml({{"eka", start + std::chrono::hours(1)}}, "PT1H");
  for (const std::string name : {"a", "b"}) nodes.write(name, "pian.toml", moved);
  for (const std::string name : {"a", "b"}) nodes.node(name).process().send_signal(SIGHUP);
  int applied = 0;
  for (const std::string name : {"a", "b"}) {
    std::optional<std::string> line = nodes.node(name).wait_for("series pian from", 30s);
    ASSERT_TRUE(line) << nodes.node(name).process().stdout_text();
    const std::pair<int, int> diff = diff_in(*line);
    // Each node applied all of the diff or found it applied.
    EXPECT_TRUE(diff == std::make_pair(200, 200) || diff == std::make_pair(0, 0)) << *line;
    if (diff.first > 0) ++applied;
  }
  EXPECT_EQ(applied, 1) << "the two reloads did not apply exactly one diff";
  // Every row is at its new due (the invitation an hour before the moved
  // session, i.e. at the old start; the reminders later).
  EXPECT_EQ(nodes.scalar("SELECT count(*) FROM notifications WHERE state = 'pending' AND due >= " +
                         std::to_string(start.time_since_epoch().count())),
            400);
  EXPECT_EQ(nodes.scalar("SELECT count(*) FROM notifications WHERE state = 'superseded'"), 200);
  for (const std::string name : {"a", "b"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

TEST(ServePgVersionsTest, ANodeWithAnOlderCopyOfAFileNeverSendsItsRows) {
  testing::PgNodes nodes;
  const testing::Instant start = testing::seconds_from_now(20s);
  const std::string older = testing::series_toml({{"eka", start}}, "PT5S");
  // The newer copy differs in its content (and so its hash), not its plan.
  const std::string newer = older + "\n# edited on node a\n";
  const std::string csv = testing::participants_csv(100);
  nodes.add_node("old", {{"pian.toml", older}, {"pian.csv", csv}});
  nodes.add_node("new", {{"pian.toml", newer}, {"pian.csv", csv}});
  // The older node plans first; the newer one's start-up marks every row
  // with its version.
  nodes.start("old");
  nodes.start("new");

  ASSERT_TRUE(nodes.receive_until([&] { return nodes.received().size() >= 200; }, 40s))
      << "received " << nodes.received().size() << " of 200";
  EXPECT_TRUE(nodes.await_scalar("SELECT count(*) FROM notifications WHERE state = 'sent'", 200,
                                 30s));
  nodes.receive_while_any(1500ms);
  EXPECT_EQ(nodes.received_total(), 200u);
  EXPECT_EQ(nodes.sent_by("old"), 0) << nodes.node("old").process().stdout_text();
  EXPECT_EQ(nodes.sent_by("new"), 200);
  for (const std::string name : {"old", "new"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

}  // namespace
}  // namespace kutsu::daemon
