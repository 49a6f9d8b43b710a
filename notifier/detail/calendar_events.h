// Sessions → the VEVENTs a calendar holds for them (ical_builder.h says why
// recurring sessions look as they do).
//
// A plain session is one event. The occurrences of a recurring session are
// one event at the rule's UID: its first occurrence's planned start with the
// RRULE (and EXDATE for `except` and cancelled occurrences) or with RDATE
// for a date list, plus one RECURRENCE-ID event for each occurrence a
// [[session.occurrence]] changed. Alone, one occurrence (an update or a
// cancellation) is its RECURRENCE-ID event.
//
// `event_of` makes the event of one session as a plain one (summary,
// description, links, sequence, its own times); these functions then set
// what recurrence changes.
#pragma once

#include <functional>
#include <vector>

#include "agenda/series.h"
#include "base/result.h"
#include "notifier/ical_builder.h"

namespace kutsu::notifier::detail {

using EventOf = std::function<Result<CalendarEvent>(const agenda::Session&)>;

// The event of one session as a plain one, what both the e-mail's calendar
// and the feed write: UID, times in the zone, title, `description`, the
// join link `participant` gets (none: the session's or the series'),
// location, cancelled.
CalendarEvent plain_event(const agenda::Series& series, const agenda::Session& session,
                          const agenda::Participant* participant, int sequence,
                          std::string description);

// The invitation's or the feed's events for `sessions` (pointers into
// series.sessions, in series order): plain sessions as they are, recurring
// ones grouped as above (with every occurrence of the rule, whichever of them
// `sessions` holds).
Result<std::vector<CalendarEvent>> series_events(const agenda::Series& series,
                                                 const std::vector<const agenda::Session*>& sessions,
                                                 const EventOf& event_of);

// An update's or cancellation's one event.
Result<CalendarEvent> session_event(const agenda::Series& series, const agenda::Session& session,
                                    const EventOf& event_of);

// How many distinct calendar events `sessions` make (a recurring session's
// occurrences are one).
std::size_t event_count(const std::vector<const agenda::Session*>& sessions);

}  // namespace kutsu::notifier::detail
