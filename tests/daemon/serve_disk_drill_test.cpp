// Fault drill (label `drill`): the disk holding the outbox fills in the
// middle of a burst (a real tmpfs, tests/fixtures/small_disk.h). The daemon
// does not exit; it stops claiming, /healthz answers 503 and the status API
// says why; the results of the sends already made are kept and recorded
// once space returns; at the end every recipient has the message once and
// the outbox agrees. The burst and the checks are serve_drill_support.h's,
// shared with the read-only drill.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/daemon/serve_drill_support.h"
#include "tests/fixtures/small_disk.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using kutsu::testing::SmallDisk;
using testing::StateDirectoryDrill;

constexpr int kPeople = 2000;

TEST(DiskDrill, TheDiskFillsDuringABurstAndEveryoneGetsTheMessageOnce) {
  if (!SmallDisk::available()) GTEST_SKIP() << "mounting a tmpfs needs root with CAP_SYS_ADMIN (CI has it)";
  SmallDisk disk(16 * 1024 * 1024);
  StateDirectoryDrill drill(kPeople, disk.path() / "state");

  // The burst begins; the disk fills under it.
  ASSERT_TRUE(drill.receive(20s)) << drill.serve().process().stdout_text();
  disk.fill();
  ASSERT_TRUE(drill.serve().wait_for("the disk holding the outbox is full", 20s))
      << drill.serve().process().stdout_text();
  const kutsu::testing::HttpReply health = drill.health();
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find("the disk holding the outbox is full"), std::string::npos)
      << health.body;
  const json::object store = drill.status().at("store").as_object();
  EXPECT_EQ(store.at("ok"), false);
  EXPECT_NE(json::value_to<std::string>(store.at("problem")).find("full"), std::string::npos);

  // What was claimed before goes out meanwhile; nothing new is claimed.
  drill.receive_until_quiet(3s);
  EXPECT_LT(drill.received(), static_cast<std::size_t>(kPeople))
      << "the burst ended before the disk filled";

  // Space returns: the rest, and the results kept meanwhile are recorded.
  disk.free_space();
  ASSERT_TRUE(drill.expect_everyone_once(75s));
  drill.expect_outbox_agrees_and_stop();
}

}  // namespace
}  // namespace kutsu::daemon
