#include "notifier/detail/calendar_choice.h"

#include "notifier/detail/calendar_events.h"

namespace kutsu::notifier::detail {

std::optional<CalendarChoice> choose_calendar(const model::Notification& notification) {
  using Kind = model::NotificationKind;
  switch (notification.kind) {
    case Kind::reminder:
      return std::nullopt;
    case Kind::update:
      return CalendarChoice{CalendarMethod::request, {notification.session}};
    case Kind::cancellation:
      return CalendarChoice{CalendarMethod::cancel, {notification.session}};
    case Kind::invitation:
      break;
  }
  CalendarChoice choice;
  for (const agenda::Session& session : notification.series->sessions) {
    if (!session.cancelled) choice.sessions.push_back(&session);
  }
  if (choice.sessions.empty()) return std::nullopt;
  // One event (one session, or the occurrences of one recurring session)
  // is a REQUEST; several are a PUBLISH.
  choice.method = event_count(choice.sessions) == 1 ? CalendarMethod::request
                                                    : CalendarMethod::publish;
  return choice;
}

}  // namespace kutsu::notifier::detail
