// render_preview: a loaded series' notifications rendered as `kutsu preview`
// writes them — in plan order, each at its due time, From the organiser or
// the given sender, a cancelled session at SEQUENCE 1 without a store.
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "service/preview_render.h"
#include "service/series_files.h"
#include "tests/config/config_test_support.h"
#include "tests/fixtures/email_inspection.h"

namespace kutsu::service {
namespace {

using config::testing::ConfigDir;

constexpr std::string_view kSeries = R"(id = "sarja"
title = "Sarja"
timezone = "Europe/Helsinki"
organiser = { name = "Liisa Esimerkki", email = "o@example.org" }
participants = "p.csv"
webhooks = ["tiimi"]

[invitation]
send_at = 2030-01-10T10:00:00

[[reminder]]
before = "PT1H"

[[session]]
id = "yksi"
title = "Yksi"
start = 2030-02-02T18:00:00
end = 2030-02-02T19:00:00

[[session]]
id = "kaksi"
title = "Kaksi"
start = 2030-02-09T18:00:00
end = 2030-02-09T19:00:00
cancelled = true
)";

struct Rendered {
  const model::Notification* notification;
  Result<std::string> bytes;
};

class PreviewRender : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("p.csv", "email,name\na@example.org,Aino\n");
    dir_.write("sarja.toml", kSeries);
    std::ostringstream errors;
    PlannedFiles planned = load_and_plan({(dir_.path() / "sarja.toml").string()}, errors);
    ASSERT_TRUE(planned.all_valid) << errors.str();
    loaded_ = planned.valid.at(0);
  }

  std::vector<Rendered> render(const std::string& from) {
    std::vector<Rendered> rendered;
    render_preview(*loaded_, renderer_, from,
                   [&](const model::Notification& notification, Result<std::string> bytes) {
                     rendered.push_back({&notification, std::move(bytes)});
                   });
    return rendered;
  }

  ConfigDir dir_;
  std::shared_ptr<LoadedSeries> loaded_;
  const notifier::Renderer renderer_{notifier::TemplateSource{}};
};

TEST_F(PreviewRender, EveryNotificationInPlanOrderWithTheRenderersBytes) {
  const std::vector<Rendered> rendered = render("");
  ASSERT_EQ(rendered.size(), loaded_->plan.notifications.size());
  bool email = false;
  bool webhook = false;
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    const model::Notification& expected = loaded_->plan.notifications[i];
    EXPECT_EQ(rendered[i].notification, &expected);
    ASSERT_TRUE(rendered[i].bytes) << rendered[i].bytes.error().message;
    notifier::RenderContext context;
    context.from = "Liisa Esimerkki <o@example.org>";
    context.now = expected.due;
    if (expected.channel == agenda::Channel::email) {
      email = true;
      EXPECT_NE(rendered[i].bytes->find("From: Liisa Esimerkki <o@example.org>"), std::string::npos);
    } else {
      webhook = true;
      if (expected.kind != model::NotificationKind::cancellation) {  // no history: SEQUENCE 0
        EXPECT_EQ(*rendered[i].bytes, renderer_.render_webhook(expected, context)->body);
      }
    }
  }
  EXPECT_TRUE(email);
  EXPECT_TRUE(webhook);
}

TEST_F(PreviewRender, TheSameBytesOnEveryRun) {
  const std::vector<Rendered> first = render("");
  const std::vector<Rendered> second = render("");
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(*first[i].bytes, *second[i].bytes);
}

TEST_F(PreviewRender, TheGivenSenderReplacesTheOrganiser) {
  for (const Rendered& rendered : render("Webinaarit <webinaarit@example.org>")) {
    if (rendered.notification->channel != agenda::Channel::email) continue;
    EXPECT_NE(rendered.bytes->find("From: Webinaarit <webinaarit@example.org>"), std::string::npos);
  }
}

TEST_F(PreviewRender, ACancelledSessionIsOneChangeAfterTheInvitation) {
  int cancellations = 0;
  for (const Rendered& rendered : render("")) {
    if (rendered.notification->channel != agenda::Channel::email ||
        rendered.notification->kind != model::NotificationKind::cancellation) {
      continue;
    }
    ++cancellations;
    const boost::json::value mail = kutsu::testing::inspect_email(*rendered.bytes);
    const boost::json::array& events =
        mail.at("calendars").as_array().at(0).at("events").as_array();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("uid"), "kaksi.sarja@kutsu.invalid");
    EXPECT_EQ(events[0].at("sequence"), 1);
  }
  EXPECT_EQ(cancellations, 1);
}

}  // namespace
}  // namespace kutsu::service
