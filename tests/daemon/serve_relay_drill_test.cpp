// Fault drills (ctest label `drill`): the real `kutsu serve` during a burst
// while its SMTP relay (tests/fixtures/smtp_server.h) fails in the ways
// relays do —
//   - it goes down (killed: connections reset, then refused) and comes back
//     on the same port;
//   - it accepts connections and never answers;
//   - it answers the end of DATA with 421 and closes the connection.
// Each time nothing is lost and nothing arrives twice (every notification id
// the relay accepted is counted), the webhook due with the burst reaches its
// receiver once and on time, /healthz answers within a second while the
// relay is failing, and in the end the outbox agrees (all sent, nothing
// pending, retrying or failed). A short [delivery] backoff keeps each drill
// well under 40 s; waits are for events (log lines, messages, requests).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <set>
#include <vector>
#include <memory>
#include <string>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/http_receiver.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using kutsu::testing::HttpClient;
using kutsu::testing::HttpReceiver;
using kutsu::testing::SmtpServer;
using testing::Instant;
using testing::ServeProcess;

constexpr char kToken[] = "drill-token";
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// A series `id` with `people` participants and the webhook endpoint "tiimi":
// its invitations (one e-mail each, one webhook) due `due_in` from now; its
// session and reminders are an hour later, out of the drill.
struct DrillSeries {
  std::string id;
  int people;
  std::chrono::seconds due_in;
};

// The daemon's set-up for a drill: the series, kutsu.toml (mail to
// `relay_url`, the webhook "tiimi" to a receiver that answers 200, the
// `delivery` keys as its [delivery] table, an admin token) and the ids of
// every invitation the series plan.
class Drill {
 public:
  Drill(const std::string& relay_url, const std::vector<DrillSeries>& series,
        const std::string& delivery)
      : receiver_({.statuses = "200", .secret = kSecret}) {
    dir_.write("token", std::string(kToken) + "\n");
    dir_.write("tiimi.secret", std::string(kSecret) + "\n");
    const Instant start = testing::seconds_from_now(1h);
    for (const DrillSeries& one : series) {
      const Instant due = testing::seconds_from_now(one.due_in);
      std::string text = testing::series_toml(
          {{"eka", start}}, "PT" + std::to_string((start - due).count()) + "S");
      text.replace(text.find("id = \"pian\""), 11, "id = \"" + one.id + "\"");
      text.replace(text.find("\"pian.csv\""), 10,
                   "\"" + one.id + ".csv\"\nwebhooks = [\"tiimi\"]");
      dir_.write("series.d/" + one.id + ".csv", testing::participants_csv(one.people));
      const auto file = dir_.write("series.d/" + one.id + ".toml", text);
      for (const auto& [id, at] : testing::planned_dues(file)) {
        if (at == due) invitations_.insert(id);
      }
      due_[one.id] = due;
      expected_ += one.people + 1;
    }
    config_ = dir_.write(
        "kutsu.toml",
        testing::daemon_config(dir_.path(), relay_url, "token_file = \"token\"\n") +
            "\n[[webhook]]\nname = \"tiimi\"\nurl = \"" + receiver_.url() +
            "\"\nsecret_file = \"tiimi.secret\"\n\n[delivery]\n" + delivery);
  }

  const std::filesystem::path& config() const { return config_; }
  Instant due(const std::string& series) const { return due_.at(series); }
  // Every invitation's id (e-mails and webhooks); how many there are.
  const std::set<std::string>& invitations() const { return invitations_; }
  std::size_t expected() const { return expected_; }

  // Takes the next webhook and counts it (false when none came within
  // `timeout`), expecting it no later than `late` after `due`.
  bool take_webhook(std::chrono::milliseconds timeout, Instant due,
                    std::chrono::milliseconds late = 3s) {
    std::optional<HttpReceiver::Request> request = receiver_.next_request(timeout);
    if (!request) return false;
    ++webhooks_[request->headers["webhook-id"]];
    EXPECT_EQ(request->signature_ok, true);
    const auto now = std::chrono::system_clock::now();
    EXPECT_LT(now - due, late) << "the webhook was late";
    return true;
  }
  bool no_more_webhooks() { return !receiver_.next_request(500ms); }
  const std::map<std::string, int>& webhooks() const { return webhooks_; }

 private:
  testing::TempDir dir_;
  HttpReceiver receiver_;
  std::filesystem::path config_;
  std::set<std::string> invitations_;
  std::map<std::string, Instant> due_;
  std::size_t expected_ = 0;
  std::map<std::string, int> webhooks_;
};

// The daemon's log, awaited line by line. Everything it prints must leave
// the pipe even when no one waits for it, or a full pipe would block the
// daemon's logging and so its loop: drain() reads what is there.
class Log {
 public:
  explicit Log(ServeProcess& serve) : serve_(serve) {}
  void drain() {
    while (serve_.process().read_line(0ms)) {
    }
  }
  // Whether the log so far (all of it, not only what came since the last
  // wait) has `text`, waiting up to `timeout` for it.
  bool wait_for(std::string_view text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      drain();
      if (serve_.process().stdout_text().find(text) != std::string::npos) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      serve_.process().read_line(std::min<std::chrono::milliseconds>(left, 200ms));
    }
  }
  // How often the log so far has `needle`, waiting up to `timeout` until it
  // has it `count` times.
  std::size_t wait_for_count(std::string_view needle, std::size_t count,
                             std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      drain();
      const std::string& log = serve_.process().stdout_text();
      std::size_t found = 0;
      for (std::size_t at = log.find(needle); at != std::string::npos;
           at = log.find(needle, at + needle.size())) {
        ++found;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (found >= count || left <= 0ms) return found;
      serve_.process().read_line(std::min<std::chrono::milliseconds>(left, 200ms));
    }
  }
  const std::string& text() const { return serve_.process().stdout_text(); }

 private:
  ServeProcess& serve_;
};

// What a relay did: the notification ids it accepted (a 250 to the end of
// DATA), each with how often, and how many messages it refused.
struct Tally {
  std::map<std::string, int> accepted;
  int refused = 0;
  std::size_t accepted_total() const {
    std::size_t total = 0;
    for (const auto& [id, count] : accepted) total += static_cast<std::size_t>(count);
    return total;
  }
};

// Takes what `relay` reports until `count` more messages were accepted;
// false when `timeout` passed first. The log is drained meanwhile.
bool take(SmtpServer& relay, Log& log, Tally& tally, std::size_t count,
          std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::size_t target = tally.accepted_total() + count;
  while (tally.accepted_total() < target) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    log.drain();
    std::optional<SmtpServer::Message> message = relay.next_message(250ms);
    if (!message) continue;
    if (message->reply.starts_with("250")) {
      ++tally.accepted[testing::notification_id_of(message->data)];
    } else {
      ++tally.refused;
    }
  }
  return true;
}

// Whether the relay reports nothing more within `quiet` (nothing twice);
// what it does report is counted.
bool quiet(SmtpServer& relay, Log& log, Tally& tally, std::chrono::milliseconds quiet = 2s) {
  const std::size_t before = tally.accepted_total() + static_cast<std::size_t>(tally.refused);
  take(relay, log, tally, 1, quiet);
  return tally.accepted_total() + static_cast<std::size_t>(tally.refused) == before;
}

// GET /healthz answers 200 within a second.
void expect_healthz_in_time(int port) {
  HttpClient client(static_cast<std::uint16_t>(port), "127.0.0.1", 1s);
  const auto asked = std::chrono::steady_clock::now();
  Result<kutsu::testing::HttpReply> reply = client.get("/healthz");
  const auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_LT(took, 1s);
}

// Every invitation arrived exactly once, by e-mail or webhook, and nothing
// else did.
void expect_each_once(const Drill& drill, const Tally& tally) {
  std::map<std::string, int> arrived = tally.accepted;
  for (const auto& [id, count] : drill.webhooks()) arrived[id] += count;
  std::set<std::string> ids;
  for (const auto& [id, count] : arrived) {
    ids.insert(id);
    EXPECT_EQ(count, 1) << id << " arrived " << count << " times";
  }
  EXPECT_EQ(ids, drill.invitations());
  EXPECT_EQ(ids.size(), drill.expected());
}

// The outbox agrees: every invitation sent, none sending, retrying or
// failed. Results are recorded in batches and the status may reuse counts
// for a second, so it is asked until it agrees (at most 10 s, each wait
// ending early on a log line).
void expect_outbox_agrees(int port, Log& log, std::size_t sent) {
  HttpClient client(static_cast<std::uint16_t>(port));
  json::object counts;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<kutsu::testing::HttpReply> reply =
        client.get("/api/v1/status", HttpClient::bearer(kToken));
    ASSERT_TRUE(reply) << reply.error().message;
    counts = json::parse(reply->body).at("counts").as_object();
    if (counts.at("sent").as_int64() == static_cast<std::int64_t>(sent) &&
        counts.at("sending").as_int64() == 0 && counts.at("retrying").as_int64() == 0) {
      break;
    }
    log.wait_for("\x01(no such line)", 300ms);
  }
  EXPECT_EQ(counts.at("sent").as_int64(), static_cast<std::int64_t>(sent)) << counts;
  EXPECT_EQ(counts.at("sending").as_int64(), 0) << counts;
  EXPECT_EQ(counts.at("retrying").as_int64(), 0) << counts;
  EXPECT_EQ(counts.at("failed").as_int64(), 0) << counts;
  EXPECT_EQ(counts.at("missed").as_int64(), 0) << counts;
}

std::string smtp_url(int port) { return "smtp://127.0.0.1:" + std::to_string(port); }

// The relay is killed once the first series went out (its connections
// reset, then refused), stays down through two rounds of retries of the
// second series' burst, and comes back on the same port.
TEST(RelayDrill, RelayDownDuringABurstThenBack) {
  auto relay = std::make_unique<SmtpServer>(SmtpServer::Options{.pipelining = true});
  const int port = relay->port();
  Drill drill(smtp_url(port), {{"ensin", 40, 8s}, {"sitten", 80, 16s}},
              "max_attempts = 50\nbackoff = [\"PT1S\"]\ntimeout = \"PT5S\"\n");
  ServeProcess serve(drill.config());
  Log log(serve);
  Tally tally;

  ASSERT_TRUE(take(*relay, log, tally, 40, 25s)) << log.text();
  // Read after the mails: its lateness is not measured here.
  ASSERT_TRUE(drill.take_webhook(5s, drill.due("ensin"), 60s)) << log.text();
  // Killed once the daemon has heard every 250: a relay killed between
  // taking a message and answering it gets it again (at least once).
  for (const auto& [id, count] : tally.accepted) {
    ASSERT_TRUE(log.wait_for("sent " + id, 10s)) << id << "\n" << log.text();
  }
  relay.reset();  // down: killed, its connections gone

  // The second burst comes due while the relay is down; its webhook does not wait.
  ASSERT_TRUE(drill.take_webhook(15s, drill.due("sitten"))) << log.text();
  expect_healthz_in_time(serve.admin_port());
  ASSERT_TRUE(log.wait_for("(attempt 2 of 50", 20s)) << log.text();
  expect_healthz_in_time(serve.admin_port());
  EXPECT_EQ(tally.accepted_total(), 40u);

  relay = std::make_unique<SmtpServer>(SmtpServer::Options{.pipelining = true, .port = port});
  ASSERT_TRUE(take(*relay, log, tally, 80, 30s))
      << tally.accepted_total() << " of 120 arrived\n" << log.text();
  EXPECT_TRUE(quiet(*relay, log, tally));
  EXPECT_TRUE(drill.no_more_webhooks());
  expect_each_once(drill, tally);
  expect_outbox_agrees(serve.admin_port(), log, drill.expected());
  EXPECT_EQ(serve.terminate(), 0);
}

// A relay that takes connections and never answers — before its greeting,
// or after the message, never answering its end — until a working relay
// takes its port. Each attempt ends at the [delivery] timeout.
class SilentRelayDrill : public ::testing::TestWithParam<const char*> {};

TEST_P(SilentRelayDrill, ARelayThatNeverAnswersCostsRetriesNotMessages) {
  auto silent = std::make_unique<SmtpServer>(SmtpServer::Options{.hang = GetParam()});
  const int port = silent->port();
  // 24 mails over the default 8 connections: a round of timeouts takes 3 s.
  Drill drill(smtp_url(port), {{"hiljaa", 24, 8s}},
              "max_attempts = 50\nbackoff = [\"PT1S\"]\ntimeout = \"PT1S\"\n");
  ServeProcess serve(drill.config());
  Log log(serve);
  Tally tally;

  ASSERT_TRUE(drill.take_webhook(15s, drill.due("hiljaa"))) << log.text();
  expect_healthz_in_time(serve.admin_port());
  ASSERT_TRUE(log.wait_for("(attempt 2 of 50", 25s)) << log.text();
  expect_healthz_in_time(serve.admin_port());

  silent.reset();
  SmtpServer relay({.port = port});
  ASSERT_TRUE(take(relay, log, tally, 24, 30s))
      << tally.accepted_total() << " of 24 arrived\n" << log.text();
  EXPECT_TRUE(quiet(relay, log, tally));
  EXPECT_TRUE(drill.no_more_webhooks());
  expect_each_once(drill, tally);
  expect_outbox_agrees(serve.admin_port(), log, drill.expected());
  EXPECT_EQ(serve.terminate(), 0);
}

INSTANTIATE_TEST_SUITE_P(Drill, SilentRelayDrill, ::testing::Values("greeting", "data"));

// The relay answers the end of DATA of its first 30 messages with 421 and
// closes the connection each time (a relay shutting down), then accepts.
TEST(RelayDrill, A421AndCloseIsRetriedOnANewConnection) {
  SmtpServer relay({.data_reply = "421 4.3.2 Shutting down, try later",
                    .pipelining = true,
                    .fault_count = 30});
  Drill drill(smtp_url(relay.port()), {{"kiire", 80, 8s}},
              "max_attempts = 50\nbackoff = [\"PT1S\"]\ntimeout = \"PT5S\"\n");
  ServeProcess serve(drill.config());
  Log log(serve);
  Tally tally;

  ASSERT_TRUE(drill.take_webhook(15s, drill.due("kiire"))) << log.text();
  expect_healthz_in_time(serve.admin_port());
  ASSERT_TRUE(take(relay, log, tally, 80, 30s))
      << tally.accepted_total() << " of 80 arrived\n" << log.text();
  EXPECT_TRUE(quiet(relay, log, tally));
  EXPECT_EQ(tally.refused, 30);
  // Each refusal is logged with the relay's words, although the relay closed
  // the connection with them (read together when the daemon reads late).
  // Logged before the retry that the tally already counted, so at once; the
  // wait is generous only for a slow machine.
  EXPECT_EQ(log.wait_for_count("421 4.3.2 Shutting down", 30, 20s), 30u) << log.text();
  EXPECT_TRUE(drill.no_more_webhooks());
  expect_each_once(drill, tally);
  expect_outbox_agrees(serve.admin_port(), log, drill.expected());
  EXPECT_EQ(serve.terminate(), 0);
}

}  // namespace
}  // namespace kutsu::daemon
