#include "notifier/webhook_payload.h"

#include <boost/json.hpp>

#include "model/time_format.h"

namespace kutsu::notifier {
namespace {

namespace json = boost::json;

json::object session_object(const agenda::Series& series, const agenda::Session& session,
                            const model::SessionTimes& times) {
  json::object out;
  out["id"] = session.id;
  out["title"] = session.title;
  out["start"] = model::format_in_zone(times.start, *series.zone);
  out["end"] = model::format_in_zone(times.end, *series.zone);
  const std::string* link = series.join_url_for(session, nullptr);
  out["join_url"] = link ? json::value(*link) : json::value(nullptr);
  json::array speakers;
  for (const std::string& speaker : session.speakers) speakers.emplace_back(speaker);
  out["speakers"] = std::move(speakers);
  return out;
}

const model::SessionTimes& times_of(const agenda::Series& series, const agenda::Session& session,
                                    const model::SeriesTimes& times) {
  return times.sessions[static_cast<std::size_t>(&session - series.sessions.data())];
}

}  // namespace

std::string webhook_payload(const model::Notification& notification,
                            const model::SeriesTimes& times,
                            const std::optional<model::TimeSpan>& previous) {
  const agenda::Series& series = *notification.series;
  json::object body;
  body["type"] = model::to_string(notification.kind);
  body["id"] = notification.id.to_string();
  body["offset"] = notification.reminder ? json::value(notification.reminder->written_before())
                                         : json::value(nullptr);
  body["series"] = json::object{{"id", series.id}, {"title", series.title}};
  if (notification.session != nullptr) {
    body["session"] = session_object(series, *notification.session,
                                     times_of(series, *notification.session, times));
  } else {
    body["session"] = nullptr;
    json::array sessions;
    for (const agenda::Session& session : series.sessions) {
      if (session.cancelled) continue;
      sessions.emplace_back(session_object(series, session, times_of(series, session, times)));
    }
    body["sessions"] = std::move(sessions);
  }
  if (notification.kind == model::NotificationKind::update) {
    body["previous"] = previous ? json::value(json::object{
                                      {"start", model::format_in_zone(previous->start, *series.zone)},
                                      {"end", model::format_in_zone(previous->end, *series.zone)}})
                                : json::value(nullptr);
  }
  body["due"] = model::format_utc(notification.due);
  return json::serialize(body);
}

}  // namespace kutsu::notifier
