// notifier_render_gallery OUT_DIR SERIES.toml...
//
// Every e-mail a participant can get from each series, in every language,
// and its subscribable feed, for the browser and calendar-client tests in
// this folder. `kutsu preview` writes only what the plan holds (invitations
// and reminders, in the participants' own languages); updates and
// cancellations come from the outbox's history, so this builds them the way
// the daemon does, through the same Renderer:
//
//   OUT_DIR/<series id>/<lang>-invitation.eml
//   OUT_DIR/<series id>/<lang>-<kind>-<session id>.eml   kind: reminder, update, cancellation
//   OUT_DIR/<series id>/feed.ics
//
// The invitation is stamped 2 days before the plan's first send, updates and
// cancellations a day later with SEQUENCE 1, as an organiser's change after
// the invitation went out would be; an update says the session was a day
// later before. Exit 1 with a message on the first series or message that
// fails.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "agenda/series_parser.h"
#include "model/time_rules.h"
#include "notifier/renderer.h"
#include "notifier/series_feed.h"
#include "scheduler/planner.h"

namespace {

using namespace kutsu;
namespace fs = std::filesystem;
using model::NotificationKind;

constexpr agenda::Language kLanguages[] = {agenda::Language::fi, agenda::Language::sv,
                                           agenda::Language::en};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "notifier_render_gallery: " << message << "\n";
  std::exit(1);
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) fail("cannot write " + path.string());
}

date::sys_seconds instant(const agenda::WrittenTime& time, const agenda::Series& series) {
  Result<date::sys_seconds> at = model::written_instant(time, *series.zone);
  if (!at) fail(series.id + ": " + at.error().message);
  return *at;
}

// `series` as it is when every participant reads `language`.
agenda::Series in_language(agenda::Series series, agenda::Language language) {
  for (agenda::Participant& participant : series.participants) participant.language = language;
  return series;
}

void render_series(const fs::path& file, const fs::path& out_root) {
  agenda::SeriesLoad load = agenda::load_series(file);
  if (!load.series) {
    fail(file.string() + ": " + (load.diagnostics.empty() ? std::string{"does not load"}
                                                          : load.diagnostics[0].to_string()));
  }
  const fs::path out = out_root / load.series->id;
  fs::create_directories(out);
  notifier::Renderer renderer{notifier::TemplateSource{}};

  for (agenda::Language language : kLanguages) {
    const agenda::Series series = in_language(*load.series, language);
    scheduler::Plan plan = scheduler::plan_series(series);
    if (!plan.diagnostics.empty()) fail(plan.diagnostics[0].to_string());
    const std::string lang{agenda::to_string(language)};
    const model::Notification* invitation = nullptr;
    std::vector<const model::Notification*> reminders;  // the first of each session
    for (const model::Notification& n : plan.notifications) {
      if (n.channel != agenda::Channel::email) continue;
      if (n.kind == NotificationKind::invitation && invitation == nullptr) invitation = &n;
      if (n.kind != NotificationKind::reminder) continue;
      bool seen = false;
      for (const model::Notification* r : reminders) seen = seen || r->session == n.session;
      if (!seen) reminders.push_back(&n);
    }
    if (plan.notifications.empty()) fail(series.id + ": the plan is empty");
    const date::sys_seconds first_send = plan.notifications.front().due;

    notifier::RenderContext sent;
    sent.from = "Kutsu <kutsu@example.org>";
    sent.now = first_send - std::chrono::hours(48);
    auto render = [&](const model::Notification& n, const notifier::RenderContext& context,
                      const std::string& name) {
      Result<notifier::EmailMessage> message = renderer.render_email(n, context);
      if (!message) fail(series.id + " " + name + ": " + message.error().message);
      write(out / name, message->bytes);
    };
    if (invitation != nullptr) render(*invitation, sent, lang + "-invitation.eml");

    // Cancellations need their session cancelled in the series they point into.
    agenda::Series cancelled = series;
    for (agenda::Session& session : cancelled.sessions) session.cancelled = true;
    for (const model::Notification* reminder : reminders) {
      const agenda::Session& session = *reminder->session;
      render(*reminder, sent, lang + "-reminder-" + session.id + ".eml");

      notifier::RenderContext changed = sent;
      changed.now = sent.now + std::chrono::hours(24);
      const date::sys_seconds start = instant(session.start, series);
      const date::sys_seconds end = instant(session.end, series);
      changed.revision = [start, end](std::string_view) {
        return notifier::SessionRevision{1, start + std::chrono::hours(24),
                                         end + std::chrono::hours(24)};
      };
      model::Notification update = *reminder;
      update.kind = NotificationKind::update;
      update.reminder = nullptr;
      render(update, changed, lang + "-update-" + session.id + ".eml");

      model::Notification cancellation = update;
      cancellation.kind = NotificationKind::cancellation;
      cancellation.series = &cancelled;
      cancellation.session =
          &cancelled.sessions[static_cast<std::size_t>(&session - series.sessions.data())];
      render(cancellation, changed, lang + "-cancellation-" + session.id + ".eml");
    }
  }

  Result<std::string> feed = notifier::series_feed(
      *load.series, notifier::TemplateSource{}, [](std::string_view) { return 0; },
      date::sys_days{date::year{2020} / 1 / 1});
  if (!feed) fail(load.series->id + " feed: " + feed.error().message);
  write(out / "feed.ics", *feed);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) fail("usage: notifier_render_gallery OUT_DIR SERIES.toml...");
  for (int i = 2; i < argc; ++i) render_series(argv[i], argv[1]);
  return 0;
}
