// Fault drill (label `drill`): the disk holding the outbox fills in the
// middle of a burst (a real tmpfs, tests/fixtures/small_disk.h). The daemon
// does not exit; it stops claiming, /healthz answers 503 and the status API
// says why; the results of the sends already made are kept and recorded
// once space returns; at the end every recipient has the message once and
// the outbox agrees.
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
using kutsu::testing::SmallDisk;
using testing::Instant;
using testing::ServeProcess;

constexpr char kToken[] = "disk-drill-token";
constexpr int kPeople = 2000;

json::object status_of(HttpClient& client) {
  Result<kutsu::testing::HttpReply> reply = client.get("/api/v1/status", HttpClient::bearer(kToken));
  if (!reply || reply->status != 200) {
    ADD_FAILURE() << "GET /api/v1/status: " << (reply ? reply->body : reply.error().message);
    return {};
  }
  return json::parse(reply->body).as_object();
}

TEST(DiskDrill, TheDiskFillsDuringABurstAndEveryoneGetsTheMessageOnce) {
  if (!SmallDisk::available()) GTEST_SKIP() << "mounting a tmpfs needs root with CAP_SYS_ADMIN (CI has it)";
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  SmallDisk disk(16 * 1024 * 1024);
  dir.write("token", std::string(kToken) + "\n");
  const Instant start = testing::seconds_from_now(1h);
  dir.write("series.d/pian.csv", testing::participants_csv(kPeople));
  const auto series = dir.write("series.d/pian.toml", testing::series_toml({{"eka", start}}, "PT59M55S"));
  const auto dues = testing::planned_dues(series);
  std::string config = testing::daemon_config(dir.path(), smtp.url(), "token_file = \"token\"\n");
  config.replace(config.find((dir.path() / "state").string()), (dir.path() / "state").string().size(),
                 (disk.path() / "state").string());
  ServeProcess serve(dir.write("kutsu.toml", config));
  HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));

  const auto next_message = [&](std::chrono::milliseconds patience) {
    return testing::next_message_draining(smtp, serve, patience);
  };
  std::map<std::string, int> received;
  const auto take = [&](const kutsu::testing::SmtpServer::Message& message) {
    ++received[testing::notification_id_of(message.data)];
  };

  // The burst begins; the disk fills under it.
  std::optional<kutsu::testing::SmtpServer::Message> first = next_message(20s);
  ASSERT_TRUE(first) << serve.process().stdout_text();
  take(*first);
  disk.fill();
  ASSERT_TRUE(serve.wait_for("the disk holding the outbox is full", 20s))
      << serve.process().stdout_text();
  const Result<kutsu::testing::HttpReply> health = client.get("/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 503);
  EXPECT_NE(health->body.find("the disk holding the outbox is full"), std::string::npos)
      << health->body;
  const json::object store = status_of(client).at("store").as_object();
  EXPECT_EQ(store.at("ok"), false);
  EXPECT_NE(json::value_to<std::string>(store.at("problem")).find("full"), std::string::npos);

  // What was claimed before goes out meanwhile; nothing new is claimed.
  while (std::optional<kutsu::testing::SmtpServer::Message> message = next_message(3s)) {
    take(*message);
  }
  const std::size_t during = received.size();
  EXPECT_LT(during, static_cast<std::size_t>(kPeople)) << "the burst ended before the disk filled";

  // Space returns: the rest, and the results kept meanwhile are recorded.
  disk.free_space();
  for (std::size_t i = during; i < kPeople; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> message = next_message(75s);
    if (!message) {
      serve.drain();
      FAIL() << "only " << i << " of " << kPeople << " arrived; the daemon said:\n"
             << serve.process().stdout_text();
    }
    take(*message);
  }
  EXPECT_EQ(next_message(2s), std::nullopt);
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kPeople));
  for (const auto& [id, count] : received) {
    EXPECT_EQ(count, 1) << id;
    EXPECT_EQ(dues.count(id), 1u) << id;
  }

  // The outbox agrees once the last results are flushed.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  json::object counts;
  do {
    serve.drain();
    counts = status_of(client).at("counts").as_object();
  } while (counts.at("sent") != kPeople && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(counts.at("sent"), kPeople) << json::serialize(counts);
  EXPECT_EQ(counts.at("sending"), 0) << json::serialize(counts);
  EXPECT_EQ(client.get("/healthz")->status, 200);
  EXPECT_EQ(serve.terminate(), 0);
}

}  // namespace
}  // namespace kutsu::daemon
