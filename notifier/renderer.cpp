#include "notifier/renderer.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "model/series_times.h"
#include "notifier/date_format.h"
#include "notifier/detail/calendar_choice.h"
#include "notifier/detail/calendar_events.h"
#include "notifier/detail/message_templates.h"
#include "notifier/detail/mime_skeleton.h"
#include "notifier/detail/safe_text.h"
#include "notifier/detail/template_cache.h"
#include "notifier/detail/template_view.h"
#include "notifier/detail/view_cache.h"
#include "notifier/ical_builder.h"
#include "notifier/mime_builder.h"
#include "notifier/webhook_payload.h"

namespace kutsu::notifier {

using detail::CompiledPtr;
using detail::CompiledTemplate;
using detail::MessageTemplates;

// What a Renderer keeps between messages; every member is thread-safe.
struct Renderer::Caches {
  detail::MessageTemplateCache templates;
  detail::ViewCache views;
  detail::MimeSkeletons mime;

  // The last sender parsed: the daemon renders every message with one From.
  std::mutex from_mutex;
  std::string from_text;
  std::optional<Mailbox> from;
};

namespace {

Result<Mailbox> sender(Renderer::Caches& caches, const std::string& text) {
  {
    std::lock_guard lock(caches.from_mutex);
    if (caches.from && caches.from_text == text) return *caches.from;
  }
  Result<Mailbox> parsed = parse_mailbox(text);
  if (!parsed) return parsed;
  std::lock_guard lock(caches.from_mutex);
  caches.from_text = text;
  caches.from = *parsed;
  return parsed;
}

Result<CalendarPart> make_calendar(const detail::CalendarChoice& choice,
                                   const model::Notification& notification,
                                   const detail::SessionsLayer& sessions,
                                   const CompiledTemplate& description_template,
                                   const RenderContext& context) {
  const agenda::Series& series = *notification.series;
  CalendarRequest request;
  request.method = choice.method;
  request.timezone = series.timezone;
  request.stamp = context.now;
  request.organiser = CalendarPerson{series.organiser.name, series.organiser.email};
  request.attendee =
      CalendarPerson{notification.participant->name, notification.participant->email};
  request.alarm = series.calendar_alarm;
  const detail::EventOf event_of =
      [&](const agenda::Session& session) -> Result<CalendarEvent> {
    // The sessions layer holds one session, or all of them in file order.
    const std::size_t index = notification.session != nullptr
                                  ? 0
                                  : static_cast<std::size_t>(&session - series.sessions.data());
    Result<std::string> description = description_template.render(sessions.session_view(index));
    if (!description) return description.error();
    return detail::plain_event(series, session, notification.participant,
                               context.revision_of(session.id).sequence,
                               std::move(description).value());
  };
  if (notification.session != nullptr) {
    Result<CalendarEvent> event = detail::session_event(series, *notification.session, event_of);
    if (!event) return event.error();
    request.events.push_back(std::move(*event));
  } else {
    Result<std::vector<CalendarEvent>> events =
        detail::series_events(series, choice.sessions, event_of);
    if (!events) return events.error();
    request.events = std::move(*events);
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

Renderer::Renderer(TemplateSource templates)
    : templates_(std::move(templates)), caches_(std::make_shared<Caches>()) {}

Result<EmailMessage> Renderer::render_email(const model::Notification& notification,
                                            const RenderContext& context) const {
  if (notification.series == nullptr || notification.participant == nullptr) {
    return Error{"an e-mail notification needs a series and a participant"};
  }
  if (notification.kind != model::NotificationKind::invitation && notification.session == nullptr) {
    return Error{"a " + std::string{model::to_string(notification.kind)} + " needs a session"};
  }
  const agenda::Series& series = *notification.series;
  const agenda::Participant& participant = *notification.participant;
  const agenda::Language language = participant.language.value_or(series.language);

  Result<Mailbox> from = sender(*caches_, context.from);
  if (!from) return Error{"sender: " + from.error().message};

  Result<MessageTemplates> templates =
      caches_->templates.for_message(templates_, series.templates_dir, language, notification.kind);
  if (!templates) return templates.error();

  const std::shared_ptr<const detail::SessionsLayer> sessions = caches_->views.sessions_layer(
      series, notification.session, notification.participant, language);

  std::optional<CalendarPart> calendar;
  if (std::optional<detail::CalendarChoice> choice = detail::choose_calendar(notification)) {
    Result<CompiledPtr> description = templates->get(MessageTemplates::description);
    if (!description) return description.error();
    Result<CalendarPart> part =
        make_calendar(*choice, notification, *sessions, **description, context);
    if (!part) return part.error();
    calendar = std::move(part).value();
  }

  const std::shared_ptr<const detail::MustacheData> series_layer =
      caches_->views.series_layer(series);
  const detail::MustacheData recipient_layer =
      detail::make_recipient_layer(notification, language, calendar.has_value(), context);
  const detail::MustacheData* const layers[] = {&recipient_layer, &sessions->layer,
                                                series_layer.get()};
  std::string rendered[3];
  const MessageTemplates::Part order[] = {MessageTemplates::subject, MessageTemplates::text,
                                          MessageTemplates::html};
  for (std::size_t i = 0; i < 3; ++i) {
    Result<CompiledPtr> compiled = templates->get(order[i]);
    if (!compiled) return compiled.error();
    Result<std::string> out = (*compiled)->render_layers(layers);
    if (!out) return out.error();
    rendered[i] = std::move(out).value();
  }

  const std::string id = notification.id.to_string();
  MailContent content;
  content.message_id = id + "@" + domain_of(from->email);
  content.boundary_seed = id;
  content.from = *from;
  content.to = Mailbox{participant.name, participant.email};
  content.reply_to = Mailbox{series.organiser.name, series.organiser.email};
  content.subject = std::move(rendered[0]);
  content.date = context.now;
  content.language = std::string{agenda::to_string(language)};
  content.text = std::move(rendered[1]);
  content.html = std::move(rendered[2]);
  content.calendar = std::move(calendar);
  if (context.opt_out_links != nullptr) {
    content.opt_out_url = context.opt_out_links->url(series.id, participant.email);
  }
  Result<std::string> bytes = caches_->mime.build(content);
  if (!bytes) return bytes.error();
  return EmailMessage{id, from->email, detail::one_line(participant.email),
                      std::move(bytes).value()};
}

Result<WebhookCall> Renderer::render_webhook(const model::Notification& notification,
                                             const RenderContext& context) const {
  if (notification.series == nullptr) return Error{"a webhook notification needs a series"};
  const model::SeriesTimes* times = context.series_times;
  model::TimesConversion converted;
  if (times == nullptr || times->sessions.size() != notification.series->sessions.size()) {
    converted = model::convert_times(*notification.series);
    if (!converted.diagnostics.empty()) {
      return Error{"series " + notification.series->id +
                   " has invalid times: " + converted.diagnostics.front().to_string()};
    }
    times = &converted.times;
  }
  std::optional<model::TimeSpan> previous;
  if (notification.kind == model::NotificationKind::update && notification.session != nullptr) {
    const SessionRevision revision = context.revision_of(notification.session->id);
    if (revision.previous_start && revision.previous_end) {
      previous = model::TimeSpan{*revision.previous_start, *revision.previous_end};
    }
  }
  return WebhookCall{notification.id.to_string(), std::string{notification.recipient},
                     webhook_payload(notification, *times, previous)};
}

}  // namespace kutsu::notifier
