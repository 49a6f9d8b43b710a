// A storm of SIGHUPs (an editor's save hook gone wrong, a script in a loop)
// while reloads take a while: one runs, one waits, the rest merge into the
// waiting one, and the last edit made before the storm ends is in force.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
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
  // Large enough that a reload takes longer than the gap between signals.
  dir.write("series.d/pian.csv", testing::participants_csv(10000));
  const auto far = testing::seconds_from_now(24h);
  dir.write("series.d/pian.toml", testing::series_toml({{"eka", far}}, "PT1H"));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  ServeProcess serve(config);

  // 100 signals over about 0.3 s; the last edit comes before the last one.
  for (int i = 0; i < 100; ++i) {
    if (i == 90) {
      dir.write("series.d/pian.toml",
                testing::series_toml({{"eka", far}, {"toka", far + 1h}}, "PT1H"));
    }
    serve.process().send_signal(SIGHUP);
    std::this_thread::sleep_for(3ms);  // pacing the storm, not waiting for anything
  }
  // The 2-session plan: 10,000 invitations and 20,000 reminders.
  std::optional<std::string> last;
  while (std::optional<std::string> line = serve.wait_for("30000 notifications", 5s)) last = line;
  ASSERT_TRUE(last) << serve.process().stdout_text().substr(0, 3000);
  EXPECT_EQ(serve.terminate(), 0);

  const std::string log = serve.process().stdout_text();
  // One load at start-up, then far fewer reloads than signals.
  const std::size_t loads = count_of(log, "series pian from");
  EXPECT_GE(loads, 2u) << log;
  EXPECT_LE(loads, 40u) << log;
  EXPECT_GT(count_of(log, "merged into it"), 0u) << log;
}

}  // namespace
}  // namespace kutsu::daemon
