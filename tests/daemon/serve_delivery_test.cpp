// The real `kutsu serve` against the real SMTP server fixture, with a series
// whose moments are seconds ahead: every notification arrives exactly once
// and within 1 s of its due time, a restart in the middle keeps the rest,
// SIGTERM exits 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;

struct Arrival {
  std::string id;
  std::chrono::system_clock::time_point at;
};

class ServeDeliveryTest : public ::testing::Test {
 protected:
  // Writes the config and the series; returns the id → due of its plan.
  std::map<std::string, Instant> write(const std::vector<testing::SessionAt>& sessions,
                                       std::string_view invitation_before, int people) {
    config_ = dir_.write("kutsu.toml", testing::daemon_config(dir_.path(), smtp_.url()));
    const auto series =
        dir_.write("series.d/pian.toml", testing::series_toml(sessions, invitation_before));
    dir_.write("series.d/pian.csv", testing::participants_csv(people));
    return testing::planned_dues(series);
  }

  // The next `count` messages, each with the moment it reached the test.
  std::vector<Arrival> receive(std::size_t count) {
    std::vector<Arrival> arrivals;
    while (arrivals.size() < count) {
      std::optional<kutsu::testing::SmtpServer::Message> message = smtp_.next_message(30s);
      if (!message) {
        ADD_FAILURE() << "only " << arrivals.size() << " of " << count << " messages arrived";
        break;
      }
      arrivals.push_back(
          {testing::notification_id_of(message->data), std::chrono::system_clock::now()});
    }
    return arrivals;
  }

  // Each arrival is a planned notification, not before its due and at most 1 s after.
  void expect_on_time(const std::vector<Arrival>& arrivals,
                      const std::map<std::string, Instant>& dues) {
    for (const Arrival& arrival : arrivals) {
      auto due = dues.find(arrival.id);
      ASSERT_NE(due, dues.end()) << "unplanned message " << arrival.id;
      const auto late =
          std::chrono::duration_cast<std::chrono::milliseconds>(arrival.at - due->second);
      max_late_ = std::max(max_late_, late);
      EXPECT_GE(arrival.at, due->second) << arrival.id;
      EXPECT_LT(arrival.at, due->second + 1s)
          << arrival.id << " late by "
          << std::chrono::duration_cast<std::chrono::milliseconds>(arrival.at - due->second).count()
          << " ms";
    }
  }

  void TearDown() override {
    RecordProperty("max_lateness_ms", std::to_string(max_late_.count()));
    std::cout << "max lateness at the SMTP server: " << max_late_.count() << " ms\n";
  }

  kutsu::testing::SmtpServer smtp_;
  testing::TempDir dir_;
  std::chrono::milliseconds max_late_{0};
  std::filesystem::path config_;
};

TEST_F(ServeDeliveryTest, EveryNotificationArrivesOnceAndOnTime) {
  const Instant start = testing::seconds_from_now(8s);
  // Invitation at start-6 s, reminders at start-5 s, for 3 people: 6 messages.
  const auto dues = write({{"eka", start}}, "PT6S", 3);
  ASSERT_EQ(dues.size(), 6u);
  ServeProcess serve(config_);

  const std::vector<Arrival> arrivals = receive(dues.size());
  std::set<std::string> ids;
  for (const Arrival& arrival : arrivals) ids.insert(arrival.id);
  EXPECT_EQ(ids.size(), dues.size()) << "a notification arrived twice";
  expect_on_time(arrivals, dues);
  EXPECT_EQ(smtp_.next_message(1500ms), std::nullopt) << "more messages than planned";
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

TEST_F(ServeDeliveryTest, ARestartInTheMiddleKeepsTheRest) {
  const Instant first = testing::seconds_from_now(8s);
  const Instant second = first + 8s;
  // Invitation at first-6 s, reminders at first-5 s and second-5 s.
  const auto dues = write({{"eka", first}, {"toka", second}}, "PT6S", 1);
  ASSERT_EQ(dues.size(), 3u);
  std::vector<Arrival> arrivals;
  {
    ServeProcess serve(config_);
    arrivals = receive(2);
    EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
  }
  ServeProcess again(config_);
  for (Arrival& arrival : receive(1)) arrivals.push_back(arrival);

  std::set<std::string> ids;
  for (const Arrival& arrival : arrivals) ids.insert(arrival.id);
  EXPECT_EQ(ids.size(), 3u) << "a notification was lost or sent twice";
  expect_on_time(arrivals, dues);
  EXPECT_EQ(smtp_.next_message(1500ms), std::nullopt) << "more messages than planned";
  EXPECT_EQ(again.terminate(), 0) << again.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
