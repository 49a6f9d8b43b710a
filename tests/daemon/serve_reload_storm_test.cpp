// A storm of SIGHUPs (an editor's save hook gone wrong, a script in a loop)
// makes a handful of reloads, not one per signal, and the last edit made
// before the storm ends is the one in force.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "tests/daemon/serve_support.h"

namespace kutsu::cli {
namespace {

using namespace std::chrono_literals;
using testing::ServeProcess;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

TEST(ServeReloadStorm, ManySignalsMakeFewReloadsAndTheLastEditWins) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  dir.write("series.d/pian.csv", testing::participants_csv(3));
  const auto far = testing::seconds_from_now(24h);
  dir.write("series.d/pian.toml", testing::series_toml({{"eka", far}}, "PT1H"));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  ServeProcess serve(config);

  // 100 signals over about a second; the last edit comes before the last one.
  for (int i = 0; i < 100; ++i) {
    if (i == 90) {
      dir.write("series.d/pian.toml",
                testing::series_toml({{"eka", far}, {"toka", far + 1h}}, "PT1H"));
    }
    serve.process().send_signal(SIGHUP);
    std::this_thread::sleep_for(10ms);  // pacing the storm, not waiting for anything
  }
  // The 2-session plan: 3 invitations and 6 reminders.
  ASSERT_TRUE(serve.wait_for("series pian from", 10s));
  std::optional<std::string> last;
  while (std::optional<std::string> line = serve.wait_for("9 notifications", 5s)) last = line;
  ASSERT_TRUE(last) << serve.process().stdout_text();
  EXPECT_EQ(serve.terminate(), 0);

  const std::string log = serve.process().stdout_text();
  // One load at start-up, then at most one reload a second while the storm lasts.
  const std::size_t loads = count_of(log, "series pian from");
  EXPECT_GE(loads, 2u) << log;
  EXPECT_LE(loads, 5u) << log;
}

}  // namespace
}  // namespace kutsu::cli
