#include "tests/notifier/render_test_series.h"

#include <stdexcept>
#include <string>

#include <date/tz.h>

#include "model/time_rules.h"
#include "scheduler/notification_id.h"

namespace kutsu::notifier::testing {
namespace {

using agenda::AgendaItem;
using agenda::AgendaItemKind;
using model::NotificationKind;

AgendaItem item(int h1, int m1, int h2, int m2, std::string title, AgendaItemKind kind,
                std::vector<std::string> speakers = {}) {
  AgendaItem out;
  out.start = local(2022, 3, 26, h1, m1);
  if (h2 >= 0) out.end = local(2022, 3, 26, h2, m2);
  out.title = std::move(title);
  out.kind = kind;
  out.speakers = std::move(speakers);
  return out;
}

agenda::Participant person(std::string email, std::string name,
                           std::optional<agenda::Language> language,
                           std::optional<std::string> join_url = std::nullopt) {
  agenda::Participant out;
  out.email = std::move(email);
  out.name = std::move(name);
  out.roles = {"aluevaltuutettu"};
  out.language = language;
  out.join_url = std::move(join_url);
  return out;
}

date::sys_seconds start_of(const agenda::Series& series, const agenda::Session& session) {
  Result<date::sys_seconds> start = model::written_instant(session.start, *series.zone);
  if (!start) throw std::runtime_error(start.error().message);
  return *start;
}

model::Notification make(const agenda::Series& series, const agenda::Session* session,
                         NotificationKind kind, const agenda::Reminder* reminder,
                         agenda::Channel channel, const agenda::Participant* participant,
                         std::string_view recipient) {
  model::Notification out;
  out.series = &series;
  out.session = session;
  out.kind = kind;
  out.reminder = reminder;
  out.channel = channel;
  out.participant = participant;
  out.recipient = recipient;
  out.session_start = session ? start_of(series, *session) : date::sys_seconds{};
  if (kind == NotificationKind::reminder) {
    out.due = model::offset_before(out.session_start, reminder->before, reminder->at, *series.zone);
  } else {
    out.due = utc(2022, 1, 19, 7, 0);
  }
  const std::string offset = reminder ? reminder->before.canonical() : std::string{};
  scheduler::NotificationIdHasher hasher;
  out.id = hasher.id_of({series.id, session ? std::string_view{session->id} : std::string_view{},
                         kind, offset, channel, recipient, out.session_start});
  return out;
}

}  // namespace

agenda::WrittenTime local(int year, unsigned month, unsigned day, int hour, int minute) {
  agenda::WrittenTime out;
  out.local = date::local_days{date::year{year} / month / day} + std::chrono::hours{hour} +
              std::chrono::minutes{minute};
  return out;
}

date::sys_seconds utc(int year, unsigned month, unsigned day, int hour, int minute) {
  return date::sys_days{date::year{year} / month / day} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

agenda::Series seed_series() {
  agenda::Series series;
  series.source_file = "aluevaltuutetut-2022.toml";
  series.id = "aluevaltuutetut-2022";
  series.title = "Uusien aluevaltuutettujen webinaarisarja";
  series.timezone = "Europe/Helsinki";
  series.zone = date::locate_zone("Europe/Helsinki");
  series.language = agenda::Language::fi;
  series.description =
      "Tule mukaan kouluttautumaan ja luomaan valtakunnallista verkostoa.\n"
      "Tilaisuudet järjestetään etänä Zoomissa.\n\n"
      "Webinaarisarja toteutetaan yhteistyössä Vasemmistoliiton kanssa.";
  series.organiser = {"Liisa Esimerkki", "webinaarit@example.org"};
  series.join_url = "https://example.org/zoom/aluevaltuutetut-2022";
  series.participants = {
      person("aino.virtanen@example.org", "Aino Virtanen", std::nullopt),
      person("elin.lindqvist@example.org", "Elin Lindqvist", agenda::Language::sv),
      person("john.smith@example.org", "John Smith", agenda::Language::en),
      person("matti.virtanen@example.org", "Matti Virtanen", agenda::Language::fi,
             "https://example.org/zoom/personal/matti"),
  };
  series.reminders = {agenda::Reminder{agenda::Duration{1, std::chrono::seconds{0}}, {}, {}, {}},
                      agenda::Reminder{agenda::Duration{0, std::chrono::hours{1}}, {}, {}, {}}};

  agenda::Session verkosto;
  verkosto.id = "verkosto";
  verkosto.title = "Valtakunnallisen yhteistyön käynnistäminen";
  verkosto.start = local(2022, 2, 2, 18, 0);
  verkosto.end = local(2022, 2, 2, 19, 30);
  verkosto.speakers = {"Anne Huotari"};
  verkosto.location = "Zoom";
  verkosto.description =
      "Ensimmäisessä tapaamisessa keskitymme luomaan valtakunnallista verkostoa.";

  agenda::Session hoitoketjut;
  hoitoketjut.id = "hoitoketjut";
  hoitoketjut.title = "Hoito- ja palveluketjujen toimivuus, tulevaisuuden sote-keskukset";
  hoitoketjut.start = local(2022, 2, 16, 18, 0);
  hoitoketjut.end = local(2022, 2, 16, 19, 30);
  hoitoketjut.speakers = {"Anne Huotari", "Marianne Riekki"};
  hoitoketjut.location = "Zoom";

  agenda::Session seminar;
  seminar.id = "sanoista-teoiksi";
  seminar.title = "”Sanoista teoiksi” – Vasemmiston aluevaalilupausten toteuttaminen";
  seminar.start = local(2022, 3, 26, 10, 0);
  seminar.end = local(2022, 3, 26, 15, 0);
  seminar.doors_open = local(2022, 3, 26, 9, 45);
  seminar.location = "Zoom";
  seminar.agenda = {
      item(10, 0, 10, 20, "Tilaisuuden avaus", AgendaItemKind::talk),
      item(10, 20, 10, 50, "Hyvinvointistrategiaprosessi", AgendaItemKind::talk, {"Anne Huotari"}),
      item(10, 50, 11, 0, "Tauko", AgendaItemKind::break_),
      item(11, 0, 12, 0, "Pienryhmäkeskustelu", AgendaItemKind::discussion),
      item(12, 0, 12, 45, "Lounastauko", AgendaItemKind::meal),
      item(12, 45, 13, 0, "Kulttuuriohjelmaa", AgendaItemKind::culture),
      item(13, 0, 13, 30, "Minkälaista henkilöstöpolitiikkaa hyvinvointialueilla tehdään?",
           AgendaItemKind::talk, {"Sannamari Sala", "Kati Jetsu"}),
      item(13, 30, 14, 15, "Pienryhmäkeskustelu", AgendaItemKind::discussion),
      item(14, 15, 14, 25, "Tauko", AgendaItemKind::break_),
      item(14, 25, 14, 55, "Kyselytunti", AgendaItemKind::discussion),
      item(14, 55, -1, 0, "Tilaisuuden päätös", AgendaItemKind::other),
  };
  series.sessions = {verkosto, hoitoketjut, seminar};
  return series;
}

const agenda::Participant& participant(const agenda::Series& series, std::string_view email) {
  for (const agenda::Participant& p : series.participants) {
    if (p.email == email) return p;
  }
  throw std::runtime_error("no participant " + std::string{email});
}

const agenda::Session& session(const agenda::Series& series, std::string_view id) {
  for (const agenda::Session& s : series.sessions) {
    if (s.id == id) return s;
  }
  throw std::runtime_error("no session " + std::string{id});
}

model::Notification invitation(const agenda::Series& series,
                               const agenda::Participant& participant) {
  return make(series, nullptr, NotificationKind::invitation, nullptr, agenda::Channel::email,
              &participant, participant.email);
}

model::Notification reminder(const agenda::Series& series, const agenda::Session& session,
                             const agenda::Participant& participant, std::size_t reminder_index) {
  return make(series, &session, NotificationKind::reminder, &series.reminders.at(reminder_index),
              agenda::Channel::email, &participant, participant.email);
}

model::Notification update(const agenda::Series& series, const agenda::Session& session,
                           const agenda::Participant& participant) {
  return make(series, &session, NotificationKind::update, nullptr, agenda::Channel::email,
              &participant, participant.email);
}

model::Notification cancellation(const agenda::Series& series, const agenda::Session& session,
                                 const agenda::Participant& participant) {
  return make(series, &session, NotificationKind::cancellation, nullptr, agenda::Channel::email,
              &participant, participant.email);
}

model::Notification webhook(const agenda::Series& series, NotificationKind kind,
                            const agenda::Session* session, std::string_view endpoint,
                            const agenda::Reminder* reminder) {
  return make(series, session, kind, reminder, agenda::Channel::webhook, nullptr, endpoint);
}

RenderContext render_context(int sequence) {
  RenderContext context;
  context.from = "Webinaarit <webinaarit@example.org>";
  context.now = utc(2022, 1, 19, 7, 0);
  context.revision = [sequence](std::string_view) { return SessionRevision{sequence, {}, {}}; };
  return context;
}

}  // namespace kutsu::notifier::testing
