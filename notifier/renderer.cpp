#include "notifier/renderer.h"

#include <string>

#include "notifier/date_format.h"
#include "notifier/detail/calendar_choice.h"
#include "notifier/detail/safe_text.h"
#include "notifier/detail/template_render.h"
#include "notifier/detail/template_view.h"
#include "notifier/ical_builder.h"
#include "notifier/mime_builder.h"
#include "notifier/webhook_payload.h"
#include "scheduler/series_times.h"

namespace kutsu::notifier {
namespace {

using detail::Escaping;
using detail::Partials;

// The templates of one message, loaded before anything is rendered so that
// a broken override fails the whole message rather than half of it.
struct MessageTemplates {
  TemplateText subject;
  TemplateText text;
  TemplateText html;
  Partials text_partials;
  Partials html_partials;
};

Result<MessageTemplates> load_templates(const TemplateSource& source, const agenda::Series& series,
                                        agenda::Language language,
                                        scheduler::NotificationKind kind) {
  const std::string prefix{scheduler::to_string(kind)};
  MessageTemplates out;
  struct Slot {
    std::string name;
    TemplateText* target;
  };
  const Slot slots[] = {{prefix + ".subject", &out.subject},
                        {prefix + ".txt", &out.text},
                        {prefix + ".html", &out.html},
                        {"session.txt", &out.text_partials["session"]},
                        {"session.html", &out.html_partials["session"]}};
  for (const Slot& slot : slots) {
    Result<TemplateText> loaded = source.load(series.templates_dir, language, slot.name);
    if (!loaded) return loaded.error();
    *slot.target = std::move(loaded).value();
  }
  return out;
}

Result<CalendarPart> make_calendar(const detail::CalendarChoice& choice,
                                   const scheduler::Notification& notification,
                                   agenda::Language language, const MessageTemplates& templates,
                                   const RenderContext& context) {
  const agenda::Series& series = *notification.series;
  CalendarRequest request;
  request.method = choice.method;
  request.timezone = series.timezone;
  request.stamp = context.now;
  request.organiser = CalendarPerson{series.organiser.name, series.organiser.email};
  request.attendee =
      CalendarPerson{notification.participant->name, notification.participant->email};
  const TemplateText& description_template = templates.text_partials.at("session");
  for (const agenda::Session* session : choice.sessions) {
    const detail::MustacheData view =
        detail::make_session_view(series, *session, notification.participant, language);
    Result<std::string> description =
        detail::render_template(description_template, view, {}, Escaping::none);
    if (!description) return description.error();
    CalendarEvent event;
    event.uid = session_uid(series.id, session->id);
    event.sequence = context.revision_of(session->id).sequence;
    event.start = wall_clock_of(session->start, *series.zone);
    event.end = wall_clock_of(session->end, *series.zone);
    event.summary = session->title;
    event.description = std::move(description).value();
    while (event.description.ends_with('\n')) event.description.pop_back();
    const std::string* link = series.join_url_for(*session, notification.participant);
    if (link) event.url = *link;
    event.location = session->location;
    event.cancelled = session->cancelled;
    request.events.push_back(std::move(event));
  }
  Result<std::string> text = build_calendar(request);
  if (!text) return text.error();
  return CalendarPart{choice.method, std::move(text).value(), "invite.ics"};
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string{"kutsu.invalid"} : address.substr(at + 1);
}

}  // namespace

Result<EmailMessage> Renderer::render_email(const scheduler::Notification& notification,
                                            const RenderContext& context) const {
  if (notification.series == nullptr || notification.participant == nullptr) {
    return Error{"an e-mail notification needs a series and a participant"};
  }
  if (notification.kind != scheduler::NotificationKind::invitation &&
      notification.session == nullptr) {
    return Error{"a " + std::string{scheduler::to_string(notification.kind)} + " needs a session"};
  }
  const agenda::Series& series = *notification.series;
  const agenda::Participant& participant = *notification.participant;
  const agenda::Language language = participant.language.value_or(series.language);

  Result<Mailbox> from = parse_mailbox(context.from);
  if (!from) return Error{"sender: " + from.error().message};

  Result<MessageTemplates> templates =
      load_templates(templates_, series, language, notification.kind);
  if (!templates) return templates.error();

  std::optional<CalendarPart> calendar;
  if (std::optional<detail::CalendarChoice> choice = detail::choose_calendar(notification)) {
    Result<CalendarPart> part = make_calendar(*choice, notification, language, *templates, context);
    if (!part) return part.error();
    calendar = std::move(part).value();
  }

  const detail::MustacheData view =
      detail::make_message_view(notification, language, calendar.has_value(), context);
  Result<std::string> subject =
      detail::render_template(templates->subject, view, {}, Escaping::none);
  if (!subject) return subject.error();
  Result<std::string> text =
      detail::render_template(templates->text, view, templates->text_partials, Escaping::none);
  if (!text) return text.error();
  Result<std::string> html =
      detail::render_template(templates->html, view, templates->html_partials, Escaping::html);
  if (!html) return html.error();

  const std::string id = notification.id.to_string();
  MailContent content;
  content.message_id = id + "@" + domain_of(from->email);
  content.boundary_seed = id;
  content.from = *from;
  content.to = Mailbox{participant.name, participant.email};
  content.reply_to = Mailbox{series.organiser.name, series.organiser.email};
  content.subject = std::move(subject).value();
  content.date = context.now;
  content.language = std::string{agenda::to_string(language)};
  content.text = std::move(text).value();
  content.html = std::move(html).value();
  content.calendar = std::move(calendar);
  Result<std::string> bytes = build_mime(content);
  if (!bytes) return bytes.error();
  return EmailMessage{id, from->email, detail::one_line(participant.email),
                      std::move(bytes).value()};
}

Result<WebhookCall> Renderer::render_webhook(const scheduler::Notification& notification,
                                             const RenderContext& /*context*/) const {
  if (notification.series == nullptr) return Error{"a webhook notification needs a series"};
  scheduler::TimesConversion times = scheduler::convert_times(*notification.series);
  if (!times.diagnostics.empty()) {
    return Error{"series " + notification.series->id +
                 " has invalid times: " + times.diagnostics.front().to_string()};
  }
  return WebhookCall{notification.id.to_string(), std::string{notification.recipient},
                     webhook_payload(notification, times.times)};
}

}  // namespace kutsu::notifier
