#include "scheduler/notification_id.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/model/sample_series.h"

namespace kutsu::scheduler {
namespace {

using model::testing::utc;

NotificationIdentity p1d_reminder() {
  return NotificationIdentity{"aluevaltuutetut-2022",
                              "verkosto",
                              model::NotificationKind::reminder,
                              "P1D",
                              agenda::Channel::email,
                              "Matti.Meikalainen@Example.org",
                              utc(2022, 2, 2, 16, 0)};
}

// The golden values were computed independently of this code, with Python's
// hashlib over the recipe in notification_id.h. If one changes, every stored
// notification would be superseded: change the recipe's version instead.
TEST(NotificationIdHasher, GoldenValues) {
  NotificationIdHasher hasher;
  EXPECT_EQ(hasher.id_of(p1d_reminder()).to_string(), "b8917fed0a73aecb5630f3f1715f239d");
  EXPECT_EQ(hasher
                .id_of({"aluevaltuutetut-2022", "", model::NotificationKind::invitation, "",
                        agenda::Channel::webhook, "tiimi", date::sys_seconds{}})
                .to_string(),
            "bc6698fec8d15441575f94db9450ea65");
  EXPECT_EQ(
      hasher
          .id_of({"aluevaltuutetut-2022", "pelastustoimi", model::NotificationKind::cancellation,
                  "", agenda::Channel::email, "liisa@example.org", utc(2022, 3, 16, 16, 0)})
          .to_string(),
      "d2e50f99f2c90827a4258787f7e34360");
}

TEST(NotificationIdHasher, SameInputSameIdAcrossHashers) {
  NotificationIdHasher first;
  NotificationIdHasher second;
  model::NotificationId id = first.id_of(p1d_reminder());
  (void)first.id_of(
      {"x", "y", model::NotificationKind::update, "", agenda::Channel::webhook, "z", {}});
  EXPECT_EQ(first.id_of(p1d_reminder()), id);
  EXPECT_EQ(second.id_of(p1d_reminder()), id);
}

TEST(NotificationIdHasher, EmailRecipientsAreCaseInsensitiveWebhookNamesAreNot) {
  NotificationIdHasher hasher;
  NotificationIdentity upper = p1d_reminder();
  NotificationIdentity lower = upper;
  lower.recipient = "matti.meikalainen@example.org";
  EXPECT_EQ(hasher.id_of(upper), hasher.id_of(lower));

  upper.channel = lower.channel = agenda::Channel::webhook;
  upper.recipient = "Tiimi";
  lower.recipient = "tiimi";
  EXPECT_NE(hasher.id_of(upper), hasher.id_of(lower));
}

TEST(NotificationIdHasher, EveryIdentityFieldChangesTheId) {
  NotificationIdHasher hasher;
  std::vector<NotificationIdentity> variants(8, p1d_reminder());
  variants[1].series = "aluevaltuutetut-2023";
  variants[2].session = "pelastustoimi";
  variants[3].kind = model::NotificationKind::update;
  variants[4].offset = "PT1H";
  variants[5].channel = agenda::Channel::webhook;
  variants[6].recipient = "liisa@example.org";
  variants[7].session_start = utc(2022, 2, 2, 16, 1);
  std::set<model::NotificationId> ids;
  for (const NotificationIdentity& identity : variants) ids.insert(hasher.id_of(identity));
  EXPECT_EQ(ids.size(), variants.size());
}

TEST(NotificationIdHasher, FieldBoundariesCannotBeShifted) {
  // Without length prefixes these two would hash the same bytes.
  NotificationIdHasher hasher;
  NotificationIdentity a = p1d_reminder();
  NotificationIdentity b = a;
  a.series = "ab";
  a.session = "c";
  b.series = "a";
  b.session = "bc";
  EXPECT_NE(hasher.id_of(a), hasher.id_of(b));
}

}  // namespace
}  // namespace kutsu::scheduler
