// Files that used to take the whole daemon down — a dotted key toml++ recursed
// on until the stack overflowed, a participants CSV that never ends, a FIFO
// among the series — are now one file's errors: the daemon keeps serving the
// other series and answering /healthz.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <csignal>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/http_client.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::HttpClient;
using testing::Instant;
using testing::ServeProcess;

// `[a.a.a.…]` with 50,000 parts: SIGSEGV in toml++ before the bound.
std::string dotted_key_bomb() {
  std::string text = "[a";
  for (int i = 1; i < 50'000; ++i) text += ".a";
  return text + "]\n";
}

void expect_healthy(const ServeProcess& serve) {
  HttpClient client(static_cast<std::uint16_t>(serve.admin_port()), "127.0.0.1", 1s);
  Result<kutsu::testing::HttpReply> reply = client.get("/healthz");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
}

TEST(ServeHostileFiles, HostileFilesAtStartAndReloadAreErrorsAndTheGoodSeriesSends) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant start = testing::seconds_from_now(8s);
  dir.write("series.d/pian.csv", testing::participants_csv(1));
  const auto good = dir.write("series.d/pian.toml", testing::series_toml({{"eka", start}}, "PT7S"));
  const auto dues = testing::planned_dues(good);
  dir.write("series.d/bomb.toml", dotted_key_bomb());
  // A series whose participants never end.
  std::string endless = testing::series_toml({{"eka", start}}, "PT7S");
  endless.replace(endless.find("id = \"pian\""), 11, "id = \"loputon\"");
  endless.replace(endless.find("pian.csv"), 8, "/dev/zero");
  dir.write("series.d/loputon.toml", endless);
  ASSERT_EQ(::mkfifo((dir.path() / "series.d/putki.toml").c_str(), 0600), 0);
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));

  ServeProcess serve(config);
  const std::string& log = serve.process().stdout_text();
  EXPECT_NE(log.find("bomb.toml:1:2: error: this key has more than 32 dotted parts"),
            std::string::npos)
      << log.substr(0, 4000);
  EXPECT_NE(log.find("cannot read '/dev/zero': it is a device, not a regular file"),
            std::string::npos)
      << log.substr(0, 4000);
  EXPECT_NE(log.find("putki.toml': it is a named pipe (FIFO), not a regular file"),
            std::string::npos)
      << log.substr(0, 4000);
  expect_healthy(serve);

  // The reload path reads the same files again, and the bomb arrives there too.
  dir.write("series.d/bomb2.toml", dotted_key_bomb());
  serve.process().send_signal(SIGHUP);
  ASSERT_TRUE(serve.wait_for("bomb2.toml:1:2: error: this key has more than 32", 10s))
      << serve.process().stdout_text().substr(0, 4000);
  expect_healthy(serve);

  // The one good series is served all along.
  std::optional<kutsu::testing::SmtpServer::Message> invitation = smtp.next_message(15s);
  ASSERT_TRUE(invitation) << serve.process().stdout_text().substr(0, 4000);
  EXPECT_EQ(testing::notification_id_of(invitation->data), testing::id_due_at(dues, start - 7s));
  EXPECT_EQ(serve.terminate(), 0);
}

}  // namespace
}  // namespace kutsu::daemon
