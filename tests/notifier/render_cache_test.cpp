// The Renderer keeps parsed templates, the shared parts of the template data
// and MIME skeletons between messages. These tests hold it to its promise:
// a message rendered with warm caches is byte for byte the message a fresh
// Renderer makes, after any edit of the series (even one made in place, at
// the same address, as a reload may reuse memory), across many recipients,
// and from several threads at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <date/tz.h>

#include "notifier/renderer.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier {
namespace {

using testing::participant;
using testing::render_context;
using testing::seed_series;
using testing::session;

std::string render(const Renderer& renderer, const model::Notification& notification,
                   const RenderContext& context = render_context()) {
  Result<EmailMessage> message = renderer.render_email(notification, context);
  if (!message) return "error: " + message.error().message;
  return message->bytes;
}

// Every e-mail kind for every participant of `series`.
std::vector<model::Notification> every_message(const agenda::Series& series) {
  std::vector<model::Notification> out;
  for (const agenda::Participant& person : series.participants) {
    out.push_back(testing::invitation(series, person));
    for (const agenda::Session& each : series.sessions) {
      out.push_back(testing::reminder(series, each, person, 0));
      out.push_back(testing::reminder(series, each, person, 1));
      out.push_back(testing::update(series, each, person));
      out.push_back(testing::cancellation(series, each, person));
    }
  }
  return out;
}

class RenderCache : public ::testing::Test {
 protected:
  // Renders everything with the warm renderer and a fresh one, twice (the
  // second time from skeletons and cached views), and compares.
  void expect_warm_equals_fresh(const std::string& after) {
    for (int round = 0; round < 2; ++round) {
      for (const model::Notification& n : every_message(series_)) {
        ASSERT_EQ(render(warm_, n), render(Renderer{TemplateSource{}}, n))
            << after << ": " << model::to_string(n.kind) << " for " << n.recipient;
      }
    }
  }

  agenda::Series series_ = seed_series();
  Renderer warm_{TemplateSource{}};
};

TEST_F(RenderCache, WarmRendererFollowsEveryEditOfTheSeriesInPlace) {
  expect_warm_equals_fresh("unchanged");
  const std::vector<std::pair<std::string, std::function<void(agenda::Series&)>>> edits = {
      {"series title", [](agenda::Series& s) { s.title = "Uusi nimi"; }},
      {"series description", [](agenda::Series& s) { s.description += "\n\nLisäkappale."; }},
      {"organiser", [](agenda::Series& s) { s.organiser.name = "Toinen Järjestäjä"; }},
      {"series link", [](agenda::Series& s) { s.join_url = "https://example.org/uusi"; }},
      {"session title", [](agenda::Series& s) { s.sessions[0].title = "Siirretty"; }},
      {"session start",
       [](agenda::Series& s) { s.sessions[1].start.local += std::chrono::hours{1}; }},
      {"session end", [](agenda::Series& s) { s.sessions[1].end.local += std::chrono::hours{2}; }},
      {"speakers", [](agenda::Series& s) { s.sessions[0].speakers.push_back("Uusi Puhuja"); }},
      {"location", [](agenda::Series& s) { s.sessions[2].location = "Sali 2"; }},
      {"description", [](agenda::Series& s) { s.sessions[2].description = "Uusi kuvaus."; }},
      {"session link", [](agenda::Series& s) { s.sessions[0].join_url = "https://example.org/s"; }},
      {"cancelled", [](agenda::Series& s) { s.sessions[1].cancelled = true; }},
      {"doors open",
       [](agenda::Series& s) { s.sessions[2].doors_open->local += std::chrono::minutes{5}; }},
      {"agenda item title", [](agenda::Series& s) { s.sessions[2].agenda[3].title = "Vaihdettu"; }},
      {"agenda item kind",
       [](agenda::Series& s) { s.sessions[2].agenda[3].kind = agenda::AgendaItemKind::meal; }},
      {"agenda item end", [](agenda::Series& s) { s.sessions[2].agenda[0].end.reset(); }},
      {"zone", [](agenda::Series& s) {
         s.timezone = "Europe/Stockholm";
         s.zone = date::locate_zone("Europe/Stockholm");
         // An offset time is shown in the series zone, so the zone matters.
         s.sessions[0].start.utc_offset = std::chrono::hours{2};
       }}};
  for (const auto& [name, edit] : edits) {
    edit(series_);
    expect_warm_equals_fresh(name);
  }
}

TEST_F(RenderCache, EditedOverrideTemplateIsUsedAtOnce) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("kutsu-cache-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "fi");
  series_.templates_dir = dir;
  const model::Notification n = testing::reminder(
      series_, session(series_, "verkosto"), participant(series_, "aino.virtanen@example.org"));
  std::ofstream(dir / "fi/reminder.subject.mustache") << "Ensimmäinen {{session.title}}\n";
  const std::string first = render(warm_, n);
  std::ofstream(dir / "fi/reminder.subject.mustache") << "Toinen {{session.title}}\n";
  const std::string second = render(warm_, n);
  EXPECT_NE(first, second);
  EXPECT_EQ(second, render(Renderer{TemplateSource{}}, n));
  std::filesystem::remove(dir / "fi/reminder.subject.mustache");
  EXPECT_EQ(render(warm_, n), render(Renderer{TemplateSource{}}, n));
  std::filesystem::remove_all(dir);
}

TEST_F(RenderCache, ManyRecipientsOfOneSessionWithinOneSecond) {
  // A burst: the same reminder to hundreds of people at the same `now`, so
  // that MIME skeletons are made and filled.
  for (int i = 0; i < 300; ++i) {
    agenda::Participant person = series_.participants[i % series_.participants.size()];
    person.email = "osallistuja" + std::to_string(i) + "@example.org";
    person.name = i % 7 == 0 ? "" : "Osallistuja Numero " + std::to_string(i) + " Äö";
    series_.participants.push_back(person);
  }
  const agenda::Session& verkosto = session(series_, "verkosto");
  for (const agenda::Participant& person : series_.participants) {
    for (const auto& n :
         {testing::reminder(series_, verkosto, person), testing::invitation(series_, person),
          testing::update(series_, verkosto, person)}) {
      ASSERT_EQ(render(warm_, n), render(Renderer{TemplateSource{}}, n)) << person.email;
    }
  }
}

TEST_F(RenderCache, ThreadsSharingOneRendererGetTheSameBytes) {
  const std::vector<model::Notification> all = every_message(series_);
  std::vector<std::string> expected;
  for (const model::Notification& n : all)
    expected.push_back(render(Renderer{TemplateSource{}}, n));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < all.size(); ++i) {
          const std::size_t k = (i * 7 + static_cast<std::size_t>(t) * 13) % all.size();
          if (render(warm_, all[k]) != expected[k]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace kutsu::notifier
