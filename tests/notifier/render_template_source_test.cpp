// Template lookup: the compiled-in defaults, and a series' own directory
// overriding single files.
#include "notifier/template_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "notifier/renderer.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using agenda::Language;
using kutsu::testing::header_value;
using kutsu::testing::inspect_email;
using kutsu::testing::part_text;
using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

const Language kLanguages[] = {Language::fi, Language::sv, Language::en};
const char* kNames[] = {"invitation.subject",   "invitation.txt",   "invitation.html",
                        "reminder.subject",     "reminder.txt",     "reminder.html",
                        "update.subject",       "update.txt",       "update.html",
                        "cancellation.subject", "cancellation.txt", "cancellation.html",
                        "session.txt",          "session.html"};

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class TemplateOverride : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kutsu-templates-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    series_.templates_dir = dir_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<EmailMessage> render_reminder(std::string_view email = "aino.virtanen@example.org") {
    return renderer_.render_email(
        testing::reminder(series_, session(series_, "verkosto"), participant(series_, email)),
        render_context());
  }

  std::filesystem::path dir_;
  agenda::Series series_ = seed_series();
  Renderer renderer_{TemplateSource{}};
};

TEST(TemplateSource, EveryKindAndPartExistsInEveryLanguage) {
  for (Language language : kLanguages) {
    for (const char* name : kNames) {
      std::optional<std::string_view> text = TemplateSource::built_in(language, name);
      ASSERT_TRUE(text.has_value()) << agenda::to_string(language) << "/" << name;
      EXPECT_FALSE(text->empty()) << agenda::to_string(language) << "/" << name;
    }
  }
  EXPECT_FALSE(TemplateSource::built_in(Language::fi, "nonexistent.txt").has_value());
}

TEST(TemplateSource, CompiledInDefaultsAreTheFilesInTheTree) {
  const std::filesystem::path root = std::filesystem::path{KUTSU_SOURCE_DIR} / "notifier/templates";
  for (Language language : kLanguages) {
    for (const char* name : kNames) {
      const std::filesystem::path file =
          root / agenda::to_string(language) / (std::string{name} + ".mustache");
      ASSERT_TRUE(std::filesystem::exists(file)) << file;
      EXPECT_EQ(*TemplateSource::built_in(language, name), read(file)) << file;
    }
  }
}

TEST(TemplateSource, LoadWithoutADirectoryNamesTheBuiltInOrigin) {
  Result<TemplateText> text = TemplateSource{}.load(std::nullopt, Language::sv, "reminder.subject");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->origin, "built-in sv/reminder.subject.mustache");
  EXPECT_EQ(text->text, "Påminnelse: {{session.title}} {{session.when}}\n");
}

TEST_F(TemplateOverride, OneFileReplacesTheDefaultOthersStay) {
  write(dir_ / "fi/reminder.subject.mustache", "Hox! {{session.title}} – {{session.start}}\n");
  Result<EmailMessage> message = render_reminder();
  ASSERT_TRUE(message.ok()) << message.error().message;
  auto mail = inspect_email(message->bytes);
  EXPECT_EQ(header_value(mail, "Subject"),
            "Hox! Valtakunnallisen yhteistyön käynnistäminen – klo 18.00");
  EXPECT_NE(part_text(mail, "text/plain").find("muistutamme tilaisuudesta"), std::string::npos);
  // Only Finnish was overridden: a Swedish reader gets the default.
  Result<EmailMessage> swedish = render_reminder("elin.lindqvist@example.org");
  ASSERT_TRUE(swedish.ok());
  EXPECT_EQ(header_value(inspect_email(swedish->bytes), "Subject"),
            "Påminnelse: Valtakunnallisen yhteistyön käynnistäminen ons 2.2.2022 kl. 18.00–19.30");
}

TEST_F(TemplateOverride, PartialOverrideReachesBodiesAndCalendar) {
  write(dir_ / "fi/session.txt.mustache", "OMA LOHKO {{title}} / {{when}}\n");
  Result<EmailMessage> message =
      renderer_.render_email(testing::update(series_, session(series_, "verkosto"),
                                             participant(series_, "aino.virtanen@example.org")),
                             render_context(1));
  ASSERT_TRUE(message.ok()) << message.error().message;
  auto mail = inspect_email(message->bytes);
  EXPECT_NE(part_text(mail, "text/plain")
                .find("OMA LOHKO Valtakunnallisen yhteistyön käynnistäminen / ke 2.2.2022 klo "
                      "18.00–19.30\n"),
            std::string::npos);
  EXPECT_EQ(mail.at("calendars").at(0).at("events").at(0).at("description"),
            "OMA LOHKO Valtakunnallisen yhteistyön käynnistäminen / ke 2.2.2022 klo 18.00–19.30");
}

TEST_F(TemplateOverride, EmptyDirectoryFallsBackToDefaults) {
  Result<EmailMessage> message = render_reminder();
  ASSERT_TRUE(message.ok()) << message.error().message;
  EXPECT_TRUE(header_value(inspect_email(message->bytes), "Subject").starts_with("Muistutus: "));
}

TEST_F(TemplateOverride, BrokenTemplateIsAnErrorNamingTheFile) {
  write(dir_ / "fi/reminder.txt.mustache", "Hei {{#session}}ei loppua\n");
  Result<EmailMessage> message = render_reminder();
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().message.find((dir_ / "fi/reminder.txt.mustache").string()),
            std::string::npos)
      << message.error().message;
}

TEST_F(TemplateOverride, BrokenPartialIsAnErrorNamingThePartial) {
  write(dir_ / "fi/session.html.mustache", "<p>{{#title}}</p>\n");
  Result<EmailMessage> message = render_reminder();
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().message.find((dir_ / "fi/session.html.mustache").string()),
            std::string::npos)
      << message.error().message;
}

TEST_F(TemplateOverride, OverrideThatIsNotAFileIsAnError) {
  std::filesystem::create_directories(dir_ / "fi/reminder.html.mustache");
  Result<EmailMessage> message = render_reminder();
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().message.find("reminder.html.mustache': it is a folder, not a file"),
            std::string::npos)
      << message.error().message;
}

// A template override that names an endless device is refused by its type,
// not read until memory runs out.
TEST_F(TemplateOverride, OverrideThatIsADeviceIsAnError) {
  std::filesystem::create_directories(dir_ / "fi");
  std::filesystem::create_symlink("/dev/zero", dir_ / "fi/reminder.html.mustache");
  Result<EmailMessage> message = render_reminder();
  ASSERT_FALSE(message.ok());
  EXPECT_NE(message.error().message.find("it is a device, not a regular file"), std::string::npos)
      << message.error().message;
}

}  // namespace
}  // namespace kutsu::notifier
