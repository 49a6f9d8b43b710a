#include "notifier/detail/calendar_events.h"

#include <set>
#include <utility>

#include "notifier/date_format.h"

namespace kutsu::notifier::detail {
namespace {

Result<std::vector<CalendarEvent>> recurring_events(const agenda::Series& series,
                                                    const agenda::RecurringSession& recurring,
                                                    const EventOf& event_of) {
  std::vector<const agenda::Session*> occurrences;
  for (std::size_t index : recurring.occurrences) occurrences.push_back(&series.sessions[index]);
  std::vector<CalendarEvent> events;
  if (occurrences.empty()) return events;
  // The rule's look: an occurrence no [[session.occurrence]] changed.
  const agenda::Session* plain = occurrences.front();
  for (const agenda::Session* occurrence : occurrences) {
    if (!occurrence->occurrence->changed) {
      plain = occurrence;
      break;
    }
  }
  Result<CalendarEvent> master = event_of(*plain);
  if (!master) return master.error();
  master->uid = session_uid(series.id, recurring.id);
  master->cancelled = false;
  const bool by_rule = recurring.recurrence.rule.has_value();
  std::optional<date::local_seconds> first;
  for (const agenda::Session* occurrence : occurrences) {
    const date::local_seconds planned = recurring.planned_start(occurrence->occurrence->planned);
    if (by_rule) {
      if (!first) first = planned;
      if (occurrence->cancelled) master->exdates.push_back(planned);
    } else if (!occurrence->cancelled) {
      if (!first) {
        first = planned;
      } else {
        master->rdates.push_back(planned);
      }
    }
  }
  if (!first) return events;  // every date of the list is cancelled
  master->start = *first;
  master->end = *first + recurring.length;
  if (by_rule) {
    master->rrule = *recurring.recurrence.rule;
    for (date::local_days day : recurring.recurrence.except) {
      master->exdates.push_back(recurring.planned_start(day));
    }
    std::sort(master->exdates.begin(), master->exdates.end());
  }
  events.push_back(std::move(*master));
  for (const agenda::Session* occurrence : occurrences) {
    if (!occurrence->occurrence->changed || occurrence->cancelled) continue;
    Result<CalendarEvent> changed = event_of(*occurrence);
    if (!changed) return changed.error();
    changed->uid = session_uid(series.id, recurring.id);
    changed->recurrence_id = recurring.planned_start(occurrence->occurrence->planned);
    events.push_back(std::move(*changed));
  }
  return events;
}

}  // namespace

CalendarEvent plain_event(const agenda::Series& series, const agenda::Session& session,
                          const agenda::Participant* participant, int sequence,
                          std::string description) {
  CalendarEvent event;
  event.uid = session_uid(series.id, session.id);
  event.sequence = sequence;
  event.start = wall_clock_of(session.start, *series.zone);
  event.end = wall_clock_of(session.end, *series.zone);
  event.summary = session.title;
  event.description = std::move(description);
  while (event.description.ends_with('\n')) event.description.pop_back();
  if (const std::string* link = series.join_url_for(session, participant)) event.url = *link;
  event.location = session.location;
  event.cancelled = session.cancelled;
  return event;
}

Result<std::vector<CalendarEvent>> series_events(const agenda::Series& series,
                                                 const std::vector<const agenda::Session*>& sessions,
                                                 const EventOf& event_of) {
  std::vector<CalendarEvent> events;
  std::set<std::size_t> done;
  for (const agenda::Session* session : sessions) {
    if (!session->occurrence) {
      Result<CalendarEvent> event = event_of(*session);
      if (!event) return event.error();
      events.push_back(std::move(*event));
      continue;
    }
    if (!done.insert(session->occurrence->recurring).second) continue;
    Result<std::vector<CalendarEvent>> group =
        recurring_events(series, series.recurring[session->occurrence->recurring], event_of);
    if (!group) return group.error();
    for (CalendarEvent& event : *group) events.push_back(std::move(event));
  }
  return events;
}

Result<CalendarEvent> session_event(const agenda::Series& series, const agenda::Session& session,
                                    const EventOf& event_of) {
  Result<CalendarEvent> event = event_of(session);
  if (!event || !session.occurrence) return event;
  const agenda::RecurringSession& recurring = series.recurring[session.occurrence->recurring];
  event->uid = session_uid(series.id, recurring.id);
  event->recurrence_id = recurring.planned_start(session.occurrence->planned);
  return event;
}

std::size_t event_count(const std::vector<const agenda::Session*>& sessions) {
  std::set<std::size_t> recurring;
  std::size_t plain = 0;
  for (const agenda::Session* session : sessions) {
    if (session->occurrence) {
      recurring.insert(session->occurrence->recurring);
    } else {
      ++plain;
    }
  }
  return plain + recurring.size();
}

}  // namespace kutsu::notifier::detail
