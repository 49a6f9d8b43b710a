// A hand-made Series for rendering tests: the seed announcement's shape
// (evening webinars on Zoom and the Saturday seminar day with its
// timetable) built directly as model values, so the renderer is tested
// without the TOML parser. Participants cover the three languages and a
// personal join link:
//   aino.virtanen@example.org   Aino Virtanen   fi (series default)
//   elin.lindqvist@example.org  Elin Lindqvist  sv
//   john.smith@example.org      John Smith      en
//   matti.virtanen@example.org  Matti Virtanen  fi, personal link
//                               https://example.org/zoom/personal/matti
#pragma once

#include <string_view>

#include <date/date.h>

#include "agenda/series.h"
#include "model/notification.h"
#include "notifier/render_context.h"

namespace kutsu::notifier::testing {

agenda::WrittenTime local(int year, unsigned month, unsigned day, int hour, int minute);
date::sys_seconds utc(int year, unsigned month, unsigned day, int hour, int minute);

// Sessions: "verkosto" (ke 2.2.2022 18.00–19.30, Anne Huotari),
// "hoitoketjut" (ke 16.2.2022 18.00–19.30, two speakers),
// "sanoista-teoiksi" (la 26.3.2022 10.00–15.00, doors 9.45, 11-item timetable).
// Reminders: P1D and PT1H. Series join link https://example.org/zoom/aluevaltuutetut-2022.
agenda::Series seed_series();

const agenda::Participant& participant(const agenda::Series& series, std::string_view email);
const agenda::Session& session(const agenda::Series& series, std::string_view id);

model::Notification invitation(const agenda::Series& series,
                               const agenda::Participant& participant);
// The series' reminder with index `reminder_index` (0: P1D, 1: PT1H).
model::Notification reminder(const agenda::Series& series, const agenda::Session& session,
                             const agenda::Participant& participant,
                             std::size_t reminder_index = 0);
model::Notification update(const agenda::Series& series, const agenda::Session& session,
                           const agenda::Participant& participant);
model::Notification cancellation(const agenda::Series& series, const agenda::Session& session,
                                 const agenda::Participant& participant);
model::Notification webhook(const agenda::Series& series, model::NotificationKind kind,
                            const agenda::Session* session, std::string_view endpoint,
                            const agenda::Reminder* reminder = nullptr);

// From "Webinaarit <webinaarit@example.org>", now 2022-01-19T07:00:00Z,
// every session at sequence `sequence`.
RenderContext render_context(int sequence = 0);

}  // namespace kutsu::notifier::testing
