#include "notifier/series_feed.h"

#include <chrono>

#include "notifier/date_format.h"
#include "notifier/detail/calendar_events.h"
#include "notifier/detail/template_render.h"
#include "notifier/detail/template_view.h"
#include "notifier/ical_builder.h"

namespace kutsu::notifier {

// How often a subscriber's client should fetch the feed again. Clients left
// to themselves wait up to a day (Google) or a week (Outlook's default): an
// hour lets a moved or cancelled session show the same afternoon.
constexpr std::chrono::hours kRefreshInterval{1};

Result<std::string> series_feed(const agenda::Series& series, const TemplateSource& templates,
                                const std::function<int(std::string_view)>& sequence_of,
                                date::sys_seconds stamp) {
  Result<TemplateText> description_template =
      templates.load(series.templates_dir, series.language, "session.txt");
  if (!description_template) return description_template.error();

  CalendarRequest request;
  request.method = CalendarMethod::publish;
  request.timezone = series.timezone;
  request.stamp = stamp;
  request.organiser = CalendarPerson{series.organiser.name, series.organiser.email};
  request.alarm = series.calendar_alarm;
  request.name = series.title;
  request.refresh_interval = kRefreshInterval;
  const detail::EventOf event_of = [&](const agenda::Session& session) -> Result<CalendarEvent> {
    const detail::MustacheData view =
        detail::make_session_view(series, session, nullptr, series.language);
    Result<std::string> description =
        detail::render_template(*description_template, view, {}, detail::Escaping::none);
    if (!description) return description.error();
    return detail::plain_event(series, session, nullptr, sequence_of(session.id),
                               std::move(description).value());
  };
  // The feed shows cancelled sessions as cancelled; a recurring session's
  // cancelled occurrences are its EXDATEs.
  std::vector<const agenda::Session*> sessions;
  for (const agenda::Session& session : series.sessions) sessions.push_back(&session);
  Result<std::vector<CalendarEvent>> events = detail::series_events(series, sessions, event_of);
  if (!events) return events.error();
  request.events = std::move(*events);
  return build_calendar(request);
}

}  // namespace kutsu::notifier
