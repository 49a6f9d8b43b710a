// The data a message template sees: every value already formatted for the
// recipient's language, so templates hold only words and layout.
//
//   series.{id, title, description, has_description, description_paragraphs[].text,
//           organiser.{name, email}}
//   recipient.{name, email, has_name}
//   is_invitation, is_reminder, is_update, is_cancellation, has_calendar,
//   opt_out_url, has_opt_out (the recipient's signed opt-out link)
//   sessions[]            the invitation: every session in file order;
//                         other kinds: the one session
//   session               reminder, update, cancellation: the session
//   has_previous, previous.when    update: the time recipients were told before
//   reminder.offset       reminder: the `before` it was planned for ("P1D")
//
// A session (also the whole context of the `session` partial):
//   id, title, when ("ke 2.2.2022 klo 18.00–19.30"), date, start, end,
//   cancelled, speakers[].{name, first, last}, speakers_text ("A, B"),
//   has_speakers, one_speaker, many_speakers, location, has_location,
//   doors_open ("klo 9.45"), has_doors_open, description, has_description,
//   description_paragraphs[].text, join_url (the recipient's: personal link,
//   else the session's, else the series'), has_join_url,
//   agenda[].{time ("10.00–10.20" or "14.55"), title, speakers_text,
//   has_speakers, kind, is_talk, is_break, is_meal, is_discussion,
//   is_culture, is_other, title_names_kind (the title already says the
//   kind, in the reader's language: agenda_kind_words.h)}, has_agenda
//
// Every string is already safe text (detail/safe_text.h); HTML escaping is
// the template engine's job ({{ }} escapes).
#pragma once

#include <kainjow/mustache.hpp>

#include "agenda/language.h"
#include "model/notification.h"
#include "notifier/render_context.h"

namespace kutsu::notifier::detail {

using MustacheData = kainjow::mustache::data;

// Precondition: notification.series is set; session is set unless the kind
// is invitation.
MustacheData make_message_view(const model::Notification& notification, agenda::Language language,
                               bool has_calendar, const RenderContext& context);

// One session as the `session` partial sees it.
MustacheData make_session_view(const agenda::Series& series, const agenda::Session& session,
                               const agenda::Participant* participant, agenda::Language language);

// The same view in three layers whose top-level names do not overlap, so that
// what is the same for every recipient can be built once (view_cache.h) and
// the three rendered as one context stack (template_cache.h):
//   series layer     series
//   sessions layer   sessions, session   (`session` null: every session, for an invitation)
//   recipient layer  recipient, is_*, has_calendar, opt_out_url, has_previous, previous, reminder
MustacheData make_series_layer(const agenda::Series& series);
MustacheData make_sessions_layer(const agenda::Series& series, const agenda::Session* session,
                                 const agenda::Participant* participant, agenda::Language language);
MustacheData make_recipient_layer(const model::Notification& notification,
                                  agenda::Language language, bool has_calendar,
                                  const RenderContext& context);

}  // namespace kutsu::notifier::detail
