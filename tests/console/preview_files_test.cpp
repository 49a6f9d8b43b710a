// The files of `kutsu preview`: their names (sorted by due time, safe in a
// folder), their bytes, the counts and the line that sums them up, and a
// failure reported as FILE: error: ID: MESSAGE while the rest goes on.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "console/preview_files.h"
#include "tests/config/config_test_support.h"

namespace kutsu::console {
namespace {

using config::testing::ConfigDir;
using namespace std::chrono_literals;

model::Notification notification(model::NotificationKind kind, agenda::Channel channel,
                                 std::string_view recipient) {
  model::Notification n;
  n.id = *model::NotificationId::parse("3603c03c0123456789abcdef01234567");
  n.kind = kind;
  n.channel = channel;
  n.recipient = recipient;
  n.due = date::sys_days{date::year{2022} / 1 / 19} + 7h + 5min + 9s;
  return n;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(PreviewFileName, DueKindRecipientAndIdPrefix) {
  EXPECT_EQ(preview_file_name(notification(model::NotificationKind::invitation,
                                           agenda::Channel::email,
                                           "matti.virtanen@example.org")),
            "2022-01-19T070509Z-invitation-matti.virtanen@example.org-3603c03c.eml");
  EXPECT_EQ(preview_file_name(
                notification(model::NotificationKind::reminder, agenda::Channel::webhook, "tiimi")),
            "2022-01-19T070509Z-reminder-tiimi-3603c03c.json");
}

TEST(PreviewFileName, ARecipientCannotLeaveTheFolder) {
  EXPECT_EQ(preview_file_name(notification(model::NotificationKind::reminder,
                                           agenda::Channel::webhook, "../x y+z")),
            "2022-01-19T070509Z-reminder-_.._x_y+z-3603c03c.json");
  EXPECT_EQ(preview_file_name(
                notification(model::NotificationKind::reminder, agenda::Channel::webhook, "")),
            "2022-01-19T070509Z-reminder-_-3603c03c.json");
  EXPECT_EQ(preview_file_name(notification(model::NotificationKind::cancellation,
                                           agenda::Channel::email, "a/b@c")),
            "2022-01-19T070509Z-cancellation-a_b@c-3603c03c.eml");
}

TEST(PreviewFiles, WritesTheBytesCountsAndSumsUp) {
  ConfigDir dir;
  std::ostringstream errors;
  PreviewFiles files(dir.path(), errors);
  const model::Notification mail =
      notification(model::NotificationKind::invitation, agenda::Channel::email, "a@example.org");
  const model::Notification call =
      notification(model::NotificationKind::reminder, agenda::Channel::webhook, "tiimi");
  files.add("a.toml", mail, std::string("From: x\r\n\r\nbody"));
  files.add("a.toml", call, std::string(R"({"type":"reminder"})"));
  EXPECT_EQ(read(dir.path() / preview_file_name(mail)), "From: x\r\n\r\nbody");
  EXPECT_EQ(read(dir.path() / preview_file_name(call)), R"({"type":"reminder"})");
  EXPECT_EQ(files.emails(), 1u);
  EXPECT_EQ(files.webhooks(), 1u);
  EXPECT_FALSE(files.failed());
  EXPECT_EQ(errors.str(), "");
  EXPECT_EQ(files.summary(2), "kutsu preview: wrote 1 e-mails and 1 webhook calls for 2 series to " +
                                  dir.path().string());
}

TEST(PreviewFiles, ARenderErrorIsReportedAndTheRestGoesOn) {
  ConfigDir dir;
  std::ostringstream errors;
  PreviewFiles files(dir.path(), errors);
  const model::Notification mail =
      notification(model::NotificationKind::reminder, agenda::Channel::email, "a@example.org");
  files.add("/srv/a.toml", mail, Error{"template: no such key"});
  files.add("/srv/a.toml", mail, std::string("ok"));
  EXPECT_EQ(errors.str(),
            "/srv/a.toml: error: 3603c03c0123456789abcdef01234567: template: no such key\n");
  EXPECT_TRUE(files.failed());
  EXPECT_EQ(files.emails(), 1u);
}

TEST(PreviewFiles, AnUnwritableFolderIsReportedAsAFailure) {
  ConfigDir dir;
  std::ostringstream errors;
  PreviewFiles files(dir.path() / "missing", errors);
  const model::Notification call =
      notification(model::NotificationKind::reminder, agenda::Channel::webhook, "tiimi");
  files.add("a.toml", call, std::string("{}"));
  EXPECT_EQ(errors.str(), "a.toml: error: 3603c03c0123456789abcdef01234567: cannot write " +
                              (dir.path() / "missing" / preview_file_name(call)).string() + "\n");
  EXPECT_TRUE(files.failed());
  EXPECT_EQ(files.webhooks(), 0u);
}

}  // namespace
}  // namespace kutsu::console
