// The opt-out link in every e-mail, as a mail client reads it (Python's
// `email` package): List-Unsubscribe with the recipient's signed https link
// and List-Unsubscribe-Post for one click (RFC 8058), and the same link
// visible in the text and HTML in the reader's language; none of it when
// rendering has no links (a preview).
#include <gtest/gtest.h>

#include <string>

#include "model/opt_out_link.h"
#include "notifier/renderer.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using kutsu::testing::find_part;
using kutsu::testing::header_value;
using kutsu::testing::inspect_email;
using kutsu::testing::part_text;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

class RenderOptOut : public ::testing::Test {
 protected:
  std::string render(const model::Notification& notification, bool with_links = true) {
    RenderContext context = render_context();
    if (with_links) context.opt_out_links = &links_;
    Result<EmailMessage> message = renderer_.render_email(notification, context);
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return {};
    }
    return message->bytes;
  }
  boost::json::value inspect(const model::Notification& notification, bool with_links = true) {
    return inspect_email(render(notification, with_links));
  }

  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
  model::OptOutLinks links_{"https://kutsu.example.org", "key"};
};

TEST_F(RenderOptOut, EveryKindCarriesTheOneClickHeadersWithTheRecipientsLink) {
  const agenda::Participant& aino = participant(series_, "aino.virtanen@example.org");
  const std::string link = links_.url(series_.id, "aino.virtanen@example.org");
  const agenda::Session& verkosto = session(series_, "verkosto");
  for (const model::Notification& notification :
       {testing::invitation(series_, aino), testing::reminder(series_, verkosto, aino),
        testing::update(series_, verkosto, aino), testing::cancellation(series_, verkosto, aino)}) {
    SCOPED_TRACE(std::string(model::to_string(notification.kind)));
    const std::string bytes = render(notification);
    // As written, not as decoded: providers read the URL from the raw line,
    // so it must not be folded into RFC 2047 encoded words.
    EXPECT_NE(bytes.find("\r\nList-Unsubscribe: <" + link + ">\r\n"), std::string::npos);
    auto mail = inspect_email(bytes);
    EXPECT_EQ(header_value(mail, "List-Unsubscribe"), "<" + link + ">");
    EXPECT_EQ(header_value(mail, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_NE(part_text(mail, "text/plain").find(link), std::string::npos);
    EXPECT_NE(part_text(mail, "text/html").find("href=\"" + link + "\""), std::string::npos);
    EXPECT_TRUE(mail.at("defects").as_array().empty());
  }
}

TEST_F(RenderOptOut, TheVisibleLinkIsInTheReadersLanguage) {
  const agenda::Session& verkosto = session(series_, "verkosto");
  auto finnish = inspect(testing::reminder(
      series_, verkosto, participant(series_, "aino.virtanen@example.org")));
  EXPECT_NE(part_text(finnish, "text/plain")
                .find("Jos et halua enää muistutuksia tästä sarjasta, voit perua ne tästä:"),
            std::string::npos);
  auto swedish = inspect(testing::reminder(
      series_, verkosto, participant(series_, "elin.lindqvist@example.org")));
  EXPECT_NE(part_text(swedish, "text/html").find("avsluta dem här</a>"), std::string::npos);
  auto english = inspect(
      testing::reminder(series_, verkosto, participant(series_, "john.smith@example.org")));
  EXPECT_NE(part_text(english, "text/plain")
                .find("If you no longer want reminders from this series, you can stop them here:"),
            std::string::npos);
}

TEST_F(RenderOptOut, EachRecipientHasTheirOwnLink) {
  const agenda::Session& verkosto = session(series_, "verkosto");
  auto elin = inspect(testing::reminder(
      series_, verkosto, participant(series_, "elin.lindqvist@example.org")));
  const std::string header = header_value(elin, "List-Unsubscribe");
  EXPECT_EQ(header, "<" + links_.url(series_.id, "elin.lindqvist@example.org") + ">");
  EXPECT_EQ(links_.read(header.substr(header.find("/u/") + 3, header.size() - header.find("/u/") - 4)),
            (model::OptOutSubject{series_.id, "elin.lindqvist@example.org"}));
}

TEST_F(RenderOptOut, WithoutLinksThereIsNoHeaderAndNoFooter) {
  auto mail = inspect(testing::reminder(series_, session(series_, "verkosto"),
                                        participant(series_, "aino.virtanen@example.org")),
                      false);
  EXPECT_EQ(header_value(mail, "List-Unsubscribe"), "");
  EXPECT_EQ(header_value(mail, "List-Unsubscribe-Post"), "");
  EXPECT_EQ(part_text(mail, "text/plain").find("muistutuksia tästä sarjasta"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::notifier
