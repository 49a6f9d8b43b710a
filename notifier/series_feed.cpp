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

namespace {

// The events of one series' sessions, each described by the `session.txt`
// template in the series' language. Without links (the public calendar),
// neither the event nor its description carries a join link.
Result<std::vector<CalendarEvent>> feed_events(const agenda::Series& series, const TemplateSource& templates,
                                               const std::function<int(std::string_view)>& sequence_of,
                                               bool with_links) {
  Result<TemplateText> description_template =
      templates.load(series.templates_dir, series.language, "session.txt");
  if (!description_template) return description_template.error();
  const detail::EventOf event_of = [&](const agenda::Session& session) -> Result<CalendarEvent> {
    detail::MustacheData view = detail::make_session_view(series, session, nullptr, series.language);
    if (!with_links) {
      view.set("join_url", std::string{});
      view.set("has_join_url", detail::MustacheData::type::bool_false);
    }
    Result<std::string> description =
        detail::render_template(*description_template, view, {}, detail::Escaping::none);
    if (!description) return description.error();
    CalendarEvent event = detail::plain_event(series, session, nullptr, sequence_of(session.id),
                                              std::move(description).value());
    if (!with_links) event.url.reset();
    return event;
  };
  // The feed shows cancelled sessions as cancelled; a recurring session's
  // cancelled occurrences are its EXDATEs.
  std::vector<const agenda::Session*> sessions;
  for (const agenda::Session& session : series.sessions) sessions.push_back(&session);
  return detail::series_events(series, sessions, event_of);
}

}  // namespace

Result<std::string> series_feed(const agenda::Series& series, const TemplateSource& templates,
                                const std::function<int(std::string_view)>& sequence_of,
                                date::sys_seconds stamp) {
  CalendarRequest request;
  request.method = CalendarMethod::publish;
  request.timezone = series.timezone;
  request.stamp = stamp;
  request.organiser = CalendarPerson{series.organiser.name, series.organiser.email};
  request.alarm = series.calendar_alarm;
  request.name = series.title;
  request.refresh_interval = kRefreshInterval;
  Result<std::vector<CalendarEvent>> events = feed_events(series, templates, sequence_of, true);
  if (!events) return events.error();
  request.events = std::move(*events);
  return build_calendar(request);
}

Result<std::string> public_feed(const std::vector<FeedSeries>& public_series, const TemplateSource& templates,
                                std::string_view name, date::sys_seconds stamp) {
  if (public_series.empty()) return Error{"no series is public", ErrorCode::not_found};
  CalendarRequest request;
  request.method = CalendarMethod::publish;
  request.timezone = public_series.front().series->timezone;
  request.stamp = stamp;
  request.name = std::string(name);
  request.refresh_interval = kRefreshInterval;
  for (const FeedSeries& each : public_series) {
    const agenda::Series& series = *each.series;
    Result<std::vector<CalendarEvent>> events = feed_events(series, templates, each.sequence_of, false);
    if (!events) return events.error();
    for (CalendarEvent& event : *events) {
      event.timezone = series.timezone;
      event.organiser = CalendarPerson{series.organiser.name, series.organiser.email};
      event.alarm = series.calendar_alarm;
      request.events.push_back(std::move(event));
    }
  }
  request.organiser = request.events.front().organiser.value_or(CalendarPerson{});
  return build_calendar(request);
}

}  // namespace kutsu::notifier
