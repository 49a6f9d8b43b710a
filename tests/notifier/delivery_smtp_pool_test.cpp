// SmtpDeliveryPool against a real SMTP server: the caller's loop only ever
// sees results, never libcurl's blocking waits.
#include "notifier/smtp_delivery_pool.h"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::SmtpServer;
using namespace std::chrono_literals;
using testing::hand_written_email;
using testing::run_until;

SmtpSettings settings_for(const SmtpServer& server, long connections,
                          std::chrono::milliseconds timeout = 10s) {
  SmtpSettings settings;
  settings.url = server.url();
  settings.starttls = StartTls::off;
  settings.max_connections = connections;
  settings.timeout = timeout;
  return settings;
}

TEST(DeliverySmtpPool, EveryMessageArrivesAndEveryResultComesBackOnTheCallersThread) {
  SmtpServer server;
  boost::asio::io_context home;
  auto pool = SmtpDeliveryPool::create(home, settings_for(server, 4), 2);
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_EQ((*pool)->loops(), 2u);

  constexpr int kMessages = 20;
  std::vector<AttemptResult> results;
  std::set<std::thread::id> callback_threads;
  for (int i = 0; i < kMessages; ++i) {
    (*pool)->send(hand_written_email("m" + std::to_string(i), "b@example.org"),
                  [&](AttemptResult result) {
                    callback_threads.insert(std::this_thread::get_id());
                    results.push_back(std::move(result));
                  });
  }
  ASSERT_TRUE(run_until(home, [&] { return results.size() == kMessages; }));
  for (const AttemptResult& result : results) EXPECT_EQ(result.outcome, AttemptOutcome::sent);
  EXPECT_EQ(callback_threads, std::set<std::thread::id>{std::this_thread::get_id()});

  // Exactly the bytes sent, each message once, whatever loop carried it.
  std::set<std::string> expected, received;
  std::set<int> connections;
  for (int i = 0; i < kMessages; ++i) {
    expected.insert(hand_written_email("m" + std::to_string(i), "b@example.org").bytes);
    auto message = server.next_message();
    ASSERT_TRUE(message) << "message " << i << " did not arrive";
    received.insert(message->data);
    connections.insert(message->connection);
  }
  EXPECT_EQ(received, expected);
  // Both loops sent, each over its own connections; never more than configured.
  EXPECT_GE(connections.size(), 2u);
  EXPECT_LE(connections.size(), 4u);
}

// The nice value of every thread of this process, by thread id (proc(5):
// field 19 of /proc/self/task/TID/stat, counted after the ")" that ends comm).
std::map<std::string, int> nice_by_thread() {
  std::map<std::string, int> nice;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream file(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 19 && fields >> field; ++i) {
      if (i == 19) nice[task.path().filename().string()] = std::stoi(field);
    }
  }
  return nice;
}

TEST(DeliverySmtpPool, ItsLoopsYieldTheCpuToTheCallersLoop) {
  SmtpServer server;
  boost::asio::io_context home;
  const std::map<std::string, int> before = nice_by_thread();
  auto pool = SmtpDeliveryPool::create(home, settings_for(server, 2), 2);
  ASSERT_TRUE(pool) << pool.error().message;
  std::vector<AttemptResult> results;
  for (const char* id : {"a", "b"}) {
    (*pool)->send(hand_written_email(id, "b@example.org"),
                  [&](AttemptResult result) { results.push_back(std::move(result)); });
  }
  ASSERT_TRUE(run_until(home, [&] { return results.size() == 2; }));
  // Both delivery threads run at nice 5; the caller's thread is untouched.
  int lowered = 0;
  for (const auto& [thread, nice] : nice_by_thread()) {
    if (!before.contains(thread) && nice == 5) ++lowered;
    if (before.contains(thread)) EXPECT_EQ(nice, before.at(thread)) << "thread " << thread;
  }
  EXPECT_EQ(lowered, 2);
}

TEST(DeliverySmtpPool, ASendKeepsTheCallersLoopRunningUntilItsResultIsIn) {
  SmtpServer server;
  boost::asio::io_context home;
  auto pool = SmtpDeliveryPool::create(home, settings_for(server, 2), 2);
  ASSERT_TRUE(pool) << pool.error().message;
  std::vector<AttemptResult> results;
  for (const char* id : {"a", "b", "c"}) {
    (*pool)->send(hand_written_email(id, "b@example.org"),
                  [&](AttemptResult result) { results.push_back(std::move(result)); });
  }
  home.run();  // returns only when nothing is left to do: all three results handed over
  ASSERT_EQ(results.size(), 3u);
  for (const AttemptResult& result : results) EXPECT_EQ(result.outcome, AttemptOutcome::sent);
}

TEST(DeliverySmtpPool, ARelayThatNeverAnswersDataDoesNotStallTheCallersLoop) {
  SmtpServer server({.hang = "data"});
  boost::asio::io_context home;
  auto pool = SmtpDeliveryPool::create(home, settings_for(server, 2, 3s), 2);
  ASSERT_TRUE(pool) << pool.error().message;

  std::vector<AttemptResult> results;
  (*pool)->send(hand_written_email("stuck", "b@example.org"),
                [&](AttemptResult result) { results.push_back(std::move(result)); });

  // While a pool loop waits for the DATA reply, a 100 ms timer on the
  // caller's loop must fire on time, not after the 3 s timeout.
  bool fired = false;
  auto started = std::chrono::steady_clock::now();
  boost::asio::steady_timer timer(home, 100ms);
  timer.async_wait([&](boost::system::error_code) { fired = true; });
  ASSERT_TRUE(run_until(home, [&] { return fired; }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_TRUE(results.empty());

  // And the stuck send still ends, as a retry, within its timeout.
  ASSERT_TRUE(run_until(
      home, [&] { return results.size() == 1; }, 10s));
  EXPECT_EQ(results[0].outcome, AttemptOutcome::retry) << results[0].detail;
}

TEST(DeliverySmtpPool, DestroyingThePoolAbandonsSendsInFlight) {
  SmtpServer server({.hang = "data"});
  boost::asio::io_context home;
  int callbacks = 0;
  {
    auto pool = SmtpDeliveryPool::create(home, settings_for(server, 2, 30s), 2);
    ASSERT_TRUE(pool) << pool.error().message;
    (*pool)->send(hand_written_email("a", "b@example.org"), [&](AttemptResult) { ++callbacks; });
    (*pool)->send(hand_written_email("b", "b@example.org"), [&](AttemptResult) { ++callbacks; });
  }  // must not wait for the 30 s timeout, and must not call back
  run_until(
      home, [] { return false; }, 200ms);
  EXPECT_EQ(callbacks, 0);
}

TEST(DeliverySmtpPool, RefusesSettingsThatCannotWork) {
  boost::asio::io_context home;
  SmtpSettings settings;
  settings.url = "http://mail.example.org";
  auto pool = SmtpDeliveryPool::create(home, settings, 2);
  ASSERT_FALSE(pool);
  EXPECT_NE(pool.error().message.find("smtp://"), std::string::npos) << pool.error().message;
}

}  // namespace
}  // namespace kutsu::notifier
