// The printed forms of a notification's id and kind, which the outbox, the
// admin API and the webhook payload all read back.
#include "model/notification.h"

#include <gtest/gtest.h>

namespace kutsu::model {
namespace {

TEST(NotificationId, HexRoundTrip) {
  std::optional<NotificationId> id = NotificationId::parse("b8917fed0a73aecb5630f3f1715f239d");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->bytes[0], 0xb8);
  EXPECT_EQ(id->bytes[15], 0x9d);
  EXPECT_EQ(id->to_string(), "b8917fed0a73aecb5630f3f1715f239d");
  EXPECT_EQ(std::string(id->hex().data(), 32), id->to_string());
  EXPECT_FALSE(NotificationId::parse("B8917FED0A73AECB5630F3F1715F239D"));
  EXPECT_FALSE(NotificationId::parse("b8917fed0a73aecb5630f3f1715f239"));
  EXPECT_FALSE(NotificationId::parse("b8917fed0a73aecb5630f3f1715f239g"));
}

TEST(NotificationKind, NamesRoundTrip) {
  for (auto kind : {NotificationKind::invitation, NotificationKind::reminder,
                    NotificationKind::update, NotificationKind::cancellation}) {
    EXPECT_EQ(parse_notification_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(to_string(NotificationKind::cancellation), "cancellation");
  EXPECT_FALSE(parse_notification_kind("Reminder"));
}

}  // namespace
}  // namespace kutsu::model
