// Fault drill (label `drill`): the wall clock jumps forward an hour and
// then back ten minutes while the service runs (the ManualClock stands in
// for CLOCK_REALTIME). Nothing is sent twice; the only thing not sent is
// the reminder the misfire rule gives up on, which the outbox calls missed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "service/service.h"
#include "tests/service/service_harness.h"

namespace kutsu::service {
namespace {

using namespace std::chrono_literals;
using store::NotificationState;
using testing::participants;
using testing::series_text;
using testing::ServiceHarness;

// 2030-01-10 10:00 in Helsinki (UTC+2 in winter).
const testing::Instant kStart = std::chrono::sys_days{std::chrono::year{2030} / 1 / 10} + 8h;

std::map<std::string, std::string> kinds_by_id(const LoadedSeries& series) {
  std::map<std::string, std::string> kinds;
  for (const model::Notification& notification : series.plan.notifications) {
    kinds[notification.id.to_string()] = std::string(model::to_string(notification.kind));
  }
  return kinds;
}

TEST(ClockDrill, AnHourForwardThenTenMinutesBackSendsNothingTwiceAndSkipsOnlyByTheRule) {
  ServiceHarness h(kStart);
  h.write("a.csv", participants(3));
  // Invitation 10:01; PT1H reminders at 10:10, 11:00 and 12:00.
  h.write("a.toml", series_text("a", "2030-01-10T10:01:00",
                                {"2030-01-10T11:10:00", "2030-01-10T12:00:00",
                                 "2030-01-10T13:00:00"}));
  Service& service = h.start_service();
  const std::map<std::string, std::string> kinds = kinds_by_id(*service.catalog().series("a"));
  ASSERT_EQ(kinds.size(), 12u);
  const auto sent_count = [&] { return h.email.sent.size(); };

  // 10:00 → 11:00 at once: the invitations (59 min late, sent: their
  // series has not ended) and the 11:00 reminders (on time); the 10:10
  // reminders are 50 min late, past the 15 min grace: missed.
  h.advance(1h);
  ASSERT_TRUE(h.run_until([&] { return sent_count() == 6; })) << sent_count();
  std::set<std::string> missed;
  for (const auto& [id, kind] : kinds) {
    if (kind != "reminder") continue;
    if (h.state_of(id) == NotificationState::missed) missed.insert(id);
  }
  EXPECT_EQ(missed.size(), 3u);

  // Back to 10:50: what was sent stays sent and nothing comes again.
  h.clock.set(h.clock.now() - 10min);
  h.service().wake();
  EXPECT_FALSE(h.run_until([&] { return sent_count() > 6; }, 2s));

  // On to 12:00: the last reminders, once.
  h.advance(70min);
  ASSERT_TRUE(h.run_until([&] { return sent_count() == 9; })) << sent_count();
  EXPECT_FALSE(h.run_until([&] { return sent_count() > 9; }, 2s));

  std::map<std::string, int> times;
  for (const notifier::EmailMessage& message : h.email.sent) ++times[message.notification_id];
  EXPECT_EQ(times.size(), 9u);
  for (const auto& [id, count] : times) {
    EXPECT_EQ(count, 1) << id;
    EXPECT_FALSE(missed.contains(id)) << id;
    EXPECT_EQ(h.state_of(id), NotificationState::sent) << id;
  }
  for (const std::string& id : missed) EXPECT_EQ(h.state_of(id), NotificationState::missed);
}

}  // namespace
}  // namespace kutsu::service
