// Fault drill (label `drill`): the file system holding the outbox turns
// read-only in the middle of a burst, as ext4 remounts itself after disk
// errors (errors=remount-ro). A mounted file system cannot be made
// read-only while SQLite holds its files open for writing (a remount fails
// with EBUSY), so the fault is injected into the daemon alone: the
// LD_PRELOAD library tests/fixtures/read_only_fault.c answers every write,
// sync, truncate, create, rename and unlink under the state directory with
// EROFS (and statvfs with ST_RDONLY) while a switch file exists.
//
// As when the disk fills (serve_disk_drill_test.cpp, whose burst and checks
// this shares): the daemon does not exit, it stops claiming, /healthz
// answers 503 and the status API says the file system is read-only; the
// results of the sends already made are kept and recorded once it is
// writable again; at the end every recipient has the message once and the
// outbox agrees (all sent, none left sending).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/daemon/serve_drill_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using testing::StateDirectoryDrill;

constexpr int kPeople = 2000;
constexpr char kReadOnly[] = "the file system holding the outbox is read-only";

// The daemon's environment for the fault: the library first, and ASan told
// not to insist on being first itself (the ASan build preloads it before
// libasan).
std::map<std::string, std::string> fault_environment(const std::filesystem::path& folder,
                                                     const std::filesystem::path& switch_file) {
  const char* preload = std::getenv("LD_PRELOAD");
  const char* asan = std::getenv("ASAN_OPTIONS");
  return {
      {"LD_PRELOAD", std::string(KUTSU_READ_ONLY_FAULT_LIBRARY) +
                         (preload && *preload ? std::string(":") + preload : std::string())},
      {"KUTSU_FAULT_READ_ONLY_DIR", folder.string()},
      {"KUTSU_FAULT_READ_ONLY_SWITCH", switch_file.string()},
      {"ASAN_OPTIONS",
       (asan && *asan ? std::string(asan) + ":" : std::string()) + "verify_asan_link_order=0"},
  };
}

TEST(ReadOnlyDrill, TheStateDirectoryTurnsReadOnlyDuringABurstAndEveryoneGetsTheMessageOnce) {
  testing::TempDir place("kutsu-read-only-");
  const std::filesystem::path state = place.path() / "state";
  const std::filesystem::path switch_file = place.path() / "read-only";
  StateDirectoryDrill drill(kPeople, state, fault_environment(state, switch_file));

  // The burst begins; the file system turns read-only under it.
  ASSERT_TRUE(drill.receive(20s)) << drill.serve().process().stdout_text();
  std::ofstream(switch_file).close();
  ASSERT_TRUE(std::filesystem::exists(switch_file));
  ASSERT_TRUE(drill.await_store_problem(kReadOnly, 20s))
      << json::serialize(drill.status()) << "\n"
      << drill.serve().process().stdout_text();
  const kutsu::testing::HttpReply health = drill.health();
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find(kReadOnly), std::string::npos) << health.body;

  // What was claimed before goes out meanwhile; nothing new is claimed.
  drill.receive_until_quiet(3s);
  EXPECT_LT(drill.received(), static_cast<std::size_t>(kPeople))
      << "the burst ended before the file system turned read-only";
  EXPECT_EQ(drill.health().status, 503) << "the daemon is still running and still unhealthy";

  // Writable again: the rest, and the results kept meanwhile are recorded.
  std::filesystem::remove(switch_file);
  ASSERT_TRUE(drill.expect_everyone_once(75s));
  drill.expect_outbox_agrees_and_stop();
}

}  // namespace
}  // namespace kutsu::daemon
