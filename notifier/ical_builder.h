// The iCalendar (RFC 5545) part of a message, built with libical.
//
// Which method a message uses, and why (RFC 5546 iTIP, RFC 6047 iMIP, and
// what Outlook, Google Calendar and Thunderbird do with it):
//
//  - One iTIP REQUEST or CANCEL is about one event: every component in it
//    must share one UID. Clients do not handle a REQUEST carrying several
//    UIDs: Outlook imports only the first event, Thunderbird falls back to
//    treating it as PUBLISH (seen in gromox#262, ical.net#486, iCal#117).
//    So an update and a cancellation, which concern one session, are a
//    REQUEST / CANCEL with exactly one VEVENT, ATTENDEE set to the recipient
//    (RFC 5546 3.2.2 requires an attendee in REQUEST; 3.2.5 lists the
//    removed attendees in CANCEL) and SEQUENCE above the last one sent.
//  - An invitation covers the whole series. With one session it is a
//    REQUEST like the above. With several it is a PUBLISH of one VEVENT per
//    session that is not cancelled: PUBLISH may carry many events and lets
//    any client add them all at once; RFC 5546 3.2.1 forbids ATTENDEE in a
//    PUBLISH, so none is written. Later REQUEST/CANCEL messages use the same
//    UIDs, so they update the events the PUBLISH created.
//  - A reminder carries no calendar part: the event is already in the
//    recipient's calendar, and re-sending a REQUEST would ask them to accept
//    again (and reset their answer) every time.
//
// A recurring session is one event (RFC 5545 3.8.5): a VEVENT with RRULE and
// EXDATE, or RDATE for a date list, and a VEVENT with the same UID and a
// RECURRENCE-ID for each occurrence that differs from the rule. An update or
// cancellation of one occurrence is a REQUEST / CANCEL of that one
// RECURRENCE-ID VEVENT. A REQUEST may thus hold several VEVENTs, all with
// one UID.
//
// Each VEVENT has a UID derived only from the series id and session id
// (session_uid; for a recurring session the id written in the file), so it
// survives re-renders and moved sessions; DTSTART and
// DTEND carry TZID=<series zone> with the wall-clock time, and the calendar
// has the matching VTIMEZONE, its history before the first event trimmed
// but every rule in force left open-ended (a client also places dates after
// the last event with it), and with its TZID rewritten from libical's "/freeassociation.sourceforge.net/..."
// to the plain IANA name the events refer to. Every name the series check
// accepts gets one, read by libical from the same system zone files date
// reads — "UTC" and "GMT" too, which libical otherwise maps to an internal
// zone that has no VTIMEZONE to write. Text values are made safe
// (control characters removed, UTF-8 repaired) before libical escapes them.
//
// Where the event is: LOCATION is the session's `location` when it has one
// (an address reaches the client's map link and travel time), else the join
// link. The join link is always the URL property and, through the
// `session.txt` template, a line of the DESCRIPTION, so an online or hybrid
// session's link is one click away in every client: Outlook and Google
// Calendar show the description's links, Thunderbird and Apple Calendar the
// URL.
//
// Thread-safe: calls into libical, whose zone tables are unlocked globals,
// are serialised internally. For speed it keeps, keyed by content, the
// trimmed VTIMEZONEs it made (cloned for each calendar) and the last few
// PUBLISH calendars (which name no attendee, so every recipient of an
// invitation within one second gets the same text); a few dozen entries each.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "agenda/duration.h"
#include "base/result.h"

namespace kutsu::notifier {

enum class CalendarMethod { publish, request, cancel };

// "PUBLISH" / "REQUEST" / "CANCEL": the METHOD property and the method=
// parameter of the text/calendar content type, which must agree (RFC 6047 2.4).
std::string_view to_string(CalendarMethod method);

struct CalendarPerson {
  std::string name;  // may be empty
  std::string email;
};

struct CalendarEvent {
  std::string uid;
  int sequence = 0;
  date::local_seconds start;  // wall-clock time in the event's zone (below), else the request's
  date::local_seconds end;
  std::string summary;
  std::string description;         // may have several lines
  std::optional<std::string> url;  // the join link: URL, and LOCATION when there is no location
  std::string location;            // the session's `location`: LOCATION when set
  bool cancelled = false;          // STATUS:CANCELLED instead of CONFIRMED
  // A recurring session's event: its RRULE as the organiser wrote it (a
  // date UNTIL is written as the end of that day in UTC, as RFC 5545 wants
  // beside a DTSTART with TZID), the dates it leaves out (EXDATE), or the
  // dates of a date list (RDATE), all wall-clock times in the zone.
  std::optional<std::string> rrule;
  std::vector<date::local_seconds> exdates;
  std::vector<date::local_seconds> rdates;
  // One occurrence of a recurring event: RECURRENCE-ID, the start the
  // occurrence has in the rule (before any move).
  std::optional<date::local_seconds> recurrence_id;
  // For a calendar that gathers several series (the public calendar): this
  // event's own zone (its times are wall-clock times there), organiser and
  // alarm. Unset: the request's.
  std::optional<std::string> timezone;
  std::optional<CalendarPerson> organiser;
  std::optional<agenda::Duration> alarm;
};

struct CalendarRequest {
  CalendarMethod method = CalendarMethod::request;
  std::string timezone;     // IANA name ("Europe/Helsinki"), the TZID of every time without its own
  date::sys_seconds stamp;  // DTSTAMP: when this version was made
  CalendarPerson organiser;
  std::optional<CalendarPerson> attendee;  // written unless method is publish
  std::vector<CalendarEvent> events;       // at least one
  // `calendar_alarm`: a VALARM (DISPLAY) this long before each event that
  // is not cancelled.
  std::optional<agenda::Duration> alarm;
  // A feed's own name (NAME, RFC 7986, and X-WR-CALNAME for the clients that
  // predate it) and how often a subscriber should fetch it again
  // (REFRESH-INTERVAL, and X-PUBLISHED-TTL for Outlook). E-mail parts set
  // neither: they are messages about events, not calendars.
  std::string name;
  std::optional<std::chrono::seconds> refresh_interval;
};

// "verkosto.aluevaltuutetut-2022@kutsu.invalid". Not derived from the sender
// or anything else configurable: a new UID would duplicate the event in
// every calendar that has the old one.
std::string session_uid(std::string_view series_id, std::string_view session_id);

// The VCALENDAR text with CRLF line ends, folded at 75 octets. Fails when
// the zone is not in the system's tz database, an event lies outside the
// supported years (agenda/time_range.h) or libical cannot serialise it.
Result<std::string> build_calendar(const CalendarRequest& request);

}  // namespace kutsu::notifier
