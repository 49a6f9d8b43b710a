// The fixture every integration test relies on must itself be right.
#include "tests/fixtures/child_process.h"

#include <gtest/gtest.h>

namespace kutsu::testing {
namespace {

using namespace std::chrono_literals;

TEST(ChildProcess, ReadsLinesAsTheyArrive) {
  ChildProcess child({.argv = {"sh", "-c", "echo ready 1234; read x; echo got $x"},
                      .stdin_data = "hello\n"});
  EXPECT_EQ(child.read_line(5s), "ready 1234");
  EXPECT_EQ(child.read_line(5s), "got hello");
  EXPECT_EQ(child.wait(5s), 0);
}

TEST(ChildProcess, ReportsExitCodeAndStderr) {
  RunResult r = run({.argv = {"sh", "-c", "echo oops >&2; exit 3"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "oops\n");
}

TEST(ChildProcess, ReadLineTimesOutInsteadOfHanging) {
  ChildProcess child({.argv = {"sleep", "30"}});
  EXPECT_EQ(child.read_line(100ms), std::nullopt);
}

}  // namespace
}  // namespace kutsu::testing
