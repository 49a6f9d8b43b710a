// The state directory's disk fills while the daemon serves (a real tmpfs,
// tests/fixtures/small_disk.h): /healthz, the status API and /metrics say
// so, the series whose plan could not be stored waits instead of showing as
// loaded with nothing planned, and once space returns it is stored without
// a reload and every invitation goes out exactly once.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <csignal>
#include <map>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/small_disk.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using kutsu::testing::HttpClient;
using kutsu::testing::HttpReply;
using kutsu::testing::SmallDisk;
using testing::Instant;
using testing::ServeProcess;

constexpr char kToken[] = "outage-token";

HttpReply get(HttpClient& client, const std::string& target) {
  Result<HttpReply> reply = client.get(target, HttpClient::bearer(kToken));
  if (!reply) ADD_FAILURE() << target << ": " << reply.error().message;
  return reply ? *reply : HttpReply{};
}

TEST(ServeStoreOutage, AFullDiskIsReportedAndThePlanIsStoredWhenSpaceReturns) {
  if (!SmallDisk::available()) GTEST_SKIP() << "mounting a tmpfs needs root with CAP_SYS_ADMIN (CI has it)";
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  SmallDisk disk;
  dir.write("token", std::string(kToken) + "\n");
  // A quiet series first, its session far away, so the outbox exists.
  dir.write("series.d/pian.csv", testing::participants_csv(1));
  dir.write("series.d/pian.toml",
            testing::series_toml({{"eka", testing::seconds_from_now(24h)}}, "PT1H"));
  std::string config = testing::daemon_config(dir.path(), smtp.url(), "token_file = \"token\"\n");
  config.replace(config.find((dir.path() / "state").string()), (dir.path() / "state").string().size(),
                 (disk.path() / "state").string());
  const auto config_file = dir.write("kutsu.toml", config);
  ServeProcess serve(config_file);
  HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));
  EXPECT_EQ(get(client, "/healthz").status, 200);

  // 600 invitations due in a few seconds cannot be stored on a full disk.
  disk.fill();
  const Instant start = testing::seconds_from_now(1h);
  std::string big = testing::series_toml({{"iso", start}}, "PT59M52S");
  big.replace(big.find("id = \"pian\""), 11, "id = \"suuri\"");
  big.replace(big.find("pian.csv"), 8, "suuri.csv");
  const auto big_file = dir.write("series.d/suuri.toml", big);
  dir.write("series.d/suuri.csv", testing::participants_csv(600));
  const auto dues = testing::planned_dues(big_file);
  serve.process().send_signal(SIGHUP);
  ASSERT_TRUE(serve.wait_for("the disk holding the outbox is full", 10s))
      << serve.process().stdout_text();
  ASSERT_TRUE(serve.wait_for("load in force: 1 series; waiting for the outbox: suuri", 10s))
      << serve.process().stdout_text();

  HttpReply health = get(client, "/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find("outbox unavailable: "), std::string::npos) << health.body;
  EXPECT_NE(health.body.find("the disk holding the outbox is full"), std::string::npos)
      << health.body;
  json::object store = json::parse(get(client, "/api/v1/status").body).at("store").as_object();
  EXPECT_EQ(store.at("ok"), false);
  EXPECT_EQ(store.at("series_waiting"), json::array{"suuri"});
  EXPECT_NE(json::value_to<std::string>(store.at("problem")).find("full"), std::string::npos);
  const std::string metrics = get(client, "/metrics").body;
  EXPECT_NE(metrics.find("\nkutsu_store_healthy 0\n"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("\nkutsu_store_errors_total 0\n"), std::string::npos) << metrics;
  kutsu::testing::RunResult status = testing::run_kutsu(
      {"status", "--url", "http://127.0.0.1:" + std::to_string(serve.admin_port()),
       "--token-file", (dir.path() / "token").string()});
  EXPECT_NE(status.out.find("OUTBOX UNAVAILABLE, nothing is sent: "), std::string::npos)
      << status.out << status.err;
  EXPECT_NE(status.out.find("Series waiting to be stored: suuri\n"), std::string::npos)
      << status.out;

  // Space returns: the waiting plan is stored without a reload, and sent.
  disk.free_space();
  ASSERT_TRUE(serve.wait_for("series suuri: stored now that the outbox can write again", 10s))
      << serve.process().stdout_text();
  // Written by the reload's worker; in force from this line on.
  ASSERT_TRUE(serve.wait_for("load in force: 2 series", 10s)) << serve.process().stdout_text();
  EXPECT_EQ(get(client, "/healthz").status, 200);
  store = json::parse(get(client, "/api/v1/status").body).at("store").as_object();
  EXPECT_EQ(store.at("ok"), true);
  EXPECT_EQ(store.at("series_waiting"), json::array{});

  // A gap may last the dispatcher's capped wait (30 s) plus a first retry
  // (30 s + jitter) on a loaded machine; a lost notification never comes.
  // The daemon logs a line per send, 600 of them, more than its stdout pipe
  // holds: its log is read between messages, or its logging would block its
  // loop (it did, under ASan: 512 sent, then nothing).
  const auto next_message = [&](std::chrono::milliseconds patience) {
    return testing::next_message_draining(smtp, serve, patience);
  };
  std::map<std::string, int> received;
  for (int i = 0; i < 600; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = next_message(75s);
    if (!message) {
      serve.drain();
      FAIL() << "only " << i << " of 600 arrived; the daemon said:\n"
             << serve.process().stdout_text();
    }
    ++received[testing::notification_id_of(message->data)];
  }
  EXPECT_EQ(next_message(2s), std::nullopt);
  EXPECT_EQ(received.size(), 600u);
  for (const auto& [id, count] : received) {
    EXPECT_EQ(count, 1) << id;
    EXPECT_EQ(dues.at(id), start - 59min - 52s) << id;
  }
  EXPECT_EQ(serve.terminate(), 0);
}

}  // namespace
}  // namespace kutsu::daemon
