#include "notifier/ical_builder.h"

#include <libical/ical.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include <date/tz.h>

#include "agenda/time_range.h"
#include "notifier/detail/safe_text.h"

namespace kutsu::notifier {
namespace {

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype to_ical(date::local_seconds time) {
  const date::local_days day = date::floor<date::days>(time);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss clock{time - day};
  icaltimetype out = icaltime_null_time();
  out.year = int{ymd.year()};
  out.month = static_cast<int>(unsigned{ymd.month()});
  out.day = static_cast<int>(unsigned{ymd.day()});
  out.hour = static_cast<int>(clock.hours().count());
  out.minute = static_cast<int>(clock.minutes().count());
  out.second = static_cast<int>(clock.seconds().count());
  out.is_date = 0;
  return out;  // no zone: written as a local time; the TZID parameter names the zone
}

icaltimetype to_ical_utc(date::sys_seconds instant) {
  // The calendar fields of the UTC reading; marked as UTC below.
  icaltimetype out = to_ical(date::local_seconds{instant.time_since_epoch()});
  out.zone = icaltimezone_get_utc_timezone();
  return out;
}

// Past this many entries a cache below starts over. Calendars are kept for
// fewer: a series with hundreds of sessions makes calendars of hundreds of kB.
constexpr std::size_t kMaxZones = 64;
constexpr std::size_t kMaxCalendars = 16;

// The whole VTIMEZONE of `tzid` as libical makes it from the system's zone
// file (/usr/share/zoneinfo, which date reads too), or null when there is
// none. libical loads any name there on demand, links and "Etc/GMT-2"
// included, except "UTC" and "GMT": for those it answers its internal UTC
// zone, which has no component to write, and those two are exactly the
// names organisers write most. They are read with icaltzutil, the reader
// libical uses for every other zone; only names date accepts are read, so a
// name can never point it at another file.
ComponentPtr full_vtimezone(const std::string& tzid) {
  if (icaltimezone* zone = icaltimezone_get_builtin_timezone(tzid.c_str())) {
    if (icalcomponent* component = icaltimezone_get_component(zone)) {
      return ComponentPtr{icalcomponent_new_clone(component)};
    }
  }
  try {
    (void)date::locate_zone(tzid);
  } catch (const std::exception&) {
    return nullptr;  // date reports an unknown name by throwing
  }
  return ComponentPtr{icaltzutil_fetch_timezone(tzid.c_str())};
}

// RFC 5545 3.6.5 wants an observance's RDATEs in local time, relative to its
// TZOFFSETFROM, but libical's truncation writes the onset it keeps as an
// RDATE in UTC where a rule no longer fits (America/Nuuk in 2026:
// RDATE:20251026T010000Z), which readers such as Python's icalendar reject.
// The same moment in local time is the UTC time at TZOFFSETFROM.
void make_rdates_local(icalcomponent* vtimezone) {
  for (icalcomponent* observance = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT);
       observance != nullptr;
       observance = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    icalproperty* from = icalcomponent_get_first_property(observance, ICAL_TZOFFSETFROM_PROPERTY);
    if (from == nullptr) continue;
    const int offset = icalproperty_get_tzoffsetfrom(from);
    for (icalproperty* rdate = icalcomponent_get_first_property(observance, ICAL_RDATE_PROPERTY);
         rdate != nullptr;
         rdate = icalcomponent_get_next_property(observance, ICAL_RDATE_PROPERTY)) {
      icaldatetimeperiodtype value = icalproperty_get_rdate(rdate);
      if (!icalperiodtype_is_null_period(value.period) || !icaltime_is_utc(value.time)) continue;
      icaltime_adjust(&value.time, 0, 0, 0, offset);
      value.time.zone = nullptr;  // floating, i.e. local time in this VTIMEZONE
      icalproperty_set_rdate(rdate, value);
    }
  }
}

// The series zone as a VTIMEZONE from a day before `from` on, with every rule
// still in force left open-ended, or null when libical cannot make one.
//
// Only the past is cut. A client places more than the events with it: a
// week view, a later update, a REQUEST for a moved session all ask about
// other dates. Cutting at the last session made libical end the rules
// there and add a TZUNTIL, so ical.js and Python's icalendar read a
// November after a spring series as summer time (+03:00 in Helsinki); the
// TZUNTIL was also a wall-clock reading marked as UTC. The bound is a
// wall-clock reading widened by a day, which covers any UTC offset without
// converting anything.
ComponentPtr build_vtimezone(const std::string& tzid, date::local_seconds from) {
  ComponentPtr vtimezone = full_vtimezone(tzid);
  if (!vtimezone) return nullptr;
  const date::sys_seconds start{(from - date::days{1}).time_since_epoch()};
  // ms_compatible = 1 keeps each rule's original DTSTART and RRULE, the
  // shape Outlook expects, instead of re-anchoring them at `start`. A null
  // end leaves the rules' ends, and TZUNTIL, alone.
  icaltimezone_truncate_vtimezone(vtimezone.get(), to_ical_utc(start), icaltime_null_time(), 1);
  make_rdates_local(vtimezone.get());
  icalproperty* tzid_property =
      icalcomponent_get_first_property(vtimezone.get(), ICAL_TZID_PROPERTY);
  if (tzid_property == nullptr) return nullptr;
  icalproperty_set_tzid(tzid_property, tzid.c_str());
  return vtimezone;
}

// build_vtimezone, kept: cloning a trimmed VTIMEZONE is much cheaper than
// trimming libical's full one again, and every message of a series needs the
// same. Called with the libical mutex held.
ComponentPtr make_vtimezone(const std::string& tzid, date::local_seconds from) {
  using Key = std::tuple<std::string, std::int64_t>;
  static std::map<Key, ComponentPtr> trimmed;
  Key key{tzid, from.time_since_epoch().count()};
  auto it = trimmed.find(key);
  if (it == trimmed.end()) {
    ComponentPtr built = build_vtimezone(tzid, from);
    if (!built) return nullptr;
    if (trimmed.size() >= kMaxZones) trimmed.clear();
    it = trimmed.emplace(std::move(key), std::move(built)).first;
  }
  return ComponentPtr{icalcomponent_new_clone(it->second.get())};
}

// Everything of a request that reaches the calendar text, as one string.
std::string request_key(const CalendarRequest& request) {
  std::string key;
  auto text = [&key](std::string_view value) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
  };
  auto number = [&text](std::int64_t value) { text(std::to_string(value)); };
  number(static_cast<int>(request.method));
  text(request.timezone);
  number(request.stamp.time_since_epoch().count());
  text(request.organiser.name);
  text(request.organiser.email);
  number(request.attendee ? 1 : 0);
  if (request.attendee) {
    text(request.attendee->name);
    text(request.attendee->email);
  }
  for (const CalendarEvent& event : request.events) {
    text(event.uid);
    number(event.sequence);
    number(event.start.time_since_epoch().count());
    number(event.end.time_since_epoch().count());
    text(event.summary);
    text(event.description);
    number(event.url ? 1 : 0);
    if (event.url) text(*event.url);
    text(event.location);
    number(event.cancelled ? 1 : 0);
    number(event.rrule ? 1 : 0);
    if (event.rrule) text(*event.rrule);
    number(static_cast<std::int64_t>(event.exdates.size()));
    for (date::local_seconds day : event.exdates) number(day.time_since_epoch().count());
    number(static_cast<std::int64_t>(event.rdates.size()));
    for (date::local_seconds day : event.rdates) number(day.time_since_epoch().count());
    number(event.recurrence_id ? event.recurrence_id->time_since_epoch().count() : -1);
    text(event.timezone.value_or(""));
    number(event.organiser ? 1 : 0);
    if (event.organiser) {
      text(event.organiser->name);
      text(event.organiser->email);
    }
    text(event.alarm ? event.alarm->canonical() : "");
  }
  number(request.alarm ? 1 : 0);
  if (request.alarm) text(request.alarm->canonical());
  text(request.name);
  number(request.refresh_interval ? request.refresh_interval->count() : -1);
  return key;
}

icalproperty* zoned_time(icalproperty* property, const std::string& tzid) {
  icalproperty_add_parameter(property, icalparameter_new_tzid(tzid.c_str()));
  return property;
}

icalproperty* person(icalproperty* property, const CalendarPerson& who) {
  const std::string name = detail::one_line(who.name);
  if (!name.empty()) icalproperty_add_parameter(property, icalparameter_new_cn(name.c_str()));
  return property;
}

std::string mailto(const CalendarPerson& who) { return "mailto:" + detail::one_line(who.email); }

// TRIGGER:-PT15M relative to the start: calendar days stay nominal days
// (-P1D is the same wall-clock time the day before), as `before` reads them.
icalcomponent* make_alarm(const agenda::Duration& before, const CalendarEvent& event) {
  icaldurationtype duration = icaldurationtype_null_duration();
  duration.is_neg = 1;
  const auto exact = before.exact().count();
  duration.days = static_cast<unsigned>(before.calendar_days());
  duration.hours = static_cast<unsigned>(exact / 3600);
  duration.minutes = static_cast<unsigned>(exact % 3600 / 60);
  duration.seconds = static_cast<unsigned>(exact % 60);
  icaltriggertype trigger;
  trigger.time = icaltime_null_time();
  trigger.duration = duration;
  icalcomponent* valarm = icalcomponent_new_valarm();
  icalcomponent_add_property(valarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
  icalcomponent_add_property(valarm, icalproperty_new_trigger(trigger));
  // RFC 5545 3.6.6: a DISPLAY alarm needs the text to show.
  icalcomponent_add_property(valarm,
                             icalproperty_new_description(detail::one_line(event.summary).c_str()));
  return valarm;
}

// The RRULE as written, with a date UNTIL turned into the UTC instant that
// ends that day in the zone: RFC 5545 3.3.10 wants UNTIL in UTC beside a
// DTSTART with TZID, and clients differ on a bare date.
Result<icalrecurrencetype> rule_for_calendar(const std::string& text, const std::string& tzid) {
  icalerror_clear_errno();
  icalrecurrencetype rule = icalrecurrencetype_from_string(text.c_str());
  if (rule.freq == ICAL_NO_RECURRENCE) return Error{"libical cannot read the rule '" + text + "'"};
  if (!icaltime_is_null_time(rule.until) && rule.until.is_date) {
    const date::local_seconds end_of_day =
        date::local_days{date::year{rule.until.year} / static_cast<unsigned>(rule.until.month) /
                         static_cast<unsigned>(rule.until.day)} +
        std::chrono::hours{23} + std::chrono::minutes{59} + std::chrono::seconds{59};
    const date::time_zone* zone = date::locate_zone(tzid);
    rule.until = to_ical_utc(zone->to_sys(end_of_day, date::choose::latest));
  }
  return rule;
}

const std::string& zone_of(const CalendarEvent& event, const CalendarRequest& request) {
  return event.timezone ? *event.timezone : request.timezone;
}

icalcomponent* make_event(const CalendarEvent& event, const CalendarRequest& request) {
  const std::string& zone = zone_of(event, request);
  const CalendarPerson& organiser = event.organiser ? *event.organiser : request.organiser;
  const std::optional<agenda::Duration>& alarm = event.alarm ? event.alarm : request.alarm;
  icalcomponent* vevent = icalcomponent_new_vevent();
  auto add = [vevent](icalproperty* property) { icalcomponent_add_property(vevent, property); };
  add(icalproperty_new_uid(detail::one_line(event.uid).c_str()));
  add(icalproperty_new_sequence(event.sequence));
  add(icalproperty_new_dtstamp(to_ical_utc(request.stamp)));
  add(zoned_time(icalproperty_new_dtstart(to_ical(event.start)), zone));
  add(zoned_time(icalproperty_new_dtend(to_ical(event.end)), zone));
  if (event.recurrence_id) {
    add(zoned_time(icalproperty_new_recurrenceid(to_ical(*event.recurrence_id)), zone));
  }
  if (event.rrule) {
    // Checked by the series parser; a rule libical cannot read is left out
    // rather than sent wrong, and the RDATE-less event is the first date.
    if (Result<icalrecurrencetype> rule = rule_for_calendar(*event.rrule, zone)) {
      add(icalproperty_new_rrule(*rule));
    }
  }
  for (date::local_seconds day : event.rdates) {
    icaldatetimeperiodtype value;
    value.time = to_ical(day);
    value.period = icalperiodtype_null_period();
    add(zoned_time(icalproperty_new_rdate(value), zone));
  }
  for (date::local_seconds day : event.exdates) {
    add(zoned_time(icalproperty_new_exdate(to_ical(day)), zone));
  }
  add(icalproperty_new_summary(detail::one_line(event.summary).c_str()));
  const std::string description = detail::multi_line(event.description);
  if (!description.empty()) add(icalproperty_new_description(description.c_str()));
  const std::string url = event.url ? detail::one_line(*event.url) : std::string{};
  if (!url.empty()) add(icalproperty_new_url(url.c_str()));
  const std::string address = detail::one_line(event.location);
  const std::string location = address.empty() ? url : address;
  if (!location.empty()) add(icalproperty_new_location(location.c_str()));
  add(person(icalproperty_new_organizer(mailto(organiser).c_str()), organiser));
  if (request.method != CalendarMethod::publish && request.attendee) {
    icalproperty* attendee =
        person(icalproperty_new_attendee(mailto(*request.attendee).c_str()), *request.attendee);
    icalproperty_add_parameter(attendee, icalparameter_new_cutype(ICAL_CUTYPE_INDIVIDUAL));
    icalproperty_add_parameter(attendee, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(attendee, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
    // The organiser of a webinar series does not collect answers; clients
    // still let people accept, without mailing a reply to everyone's inbox.
    icalproperty_add_parameter(attendee, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
    add(attendee);
  }
  add(icalproperty_new_status(event.cancelled || request.method == CalendarMethod::cancel
                                  ? ICAL_STATUS_CANCELLED
                                  : ICAL_STATUS_CONFIRMED));
  add(icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
  if (alarm && !event.cancelled && request.method != CalendarMethod::cancel) {
    icalcomponent_add_component(vevent, make_alarm(*alarm, event));
  }
  return vevent;
}

icaldurationtype to_ical_duration(std::chrono::seconds length) {
  return icaldurationtype_from_int(static_cast<int>(length.count()));
}

void add_feed_properties(icalcomponent* calendar, const CalendarRequest& request) {
  const std::string name = detail::one_line(request.name);
  if (!name.empty()) {
    icalcomponent_add_property(calendar, icalproperty_new_name(name.c_str()));
    icalproperty* wr_name = icalproperty_new_x(name.c_str());
    icalproperty_set_x_name(wr_name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar, wr_name);
  }
  if (request.refresh_interval) {
    const icaldurationtype interval = to_ical_duration(*request.refresh_interval);
    icalproperty* refresh = icalproperty_new_refreshinterval(interval);
    // RFC 7986 5.7 makes VALUE=DURATION mandatory on this property.
    icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
    icalcomponent_add_property(calendar, refresh);
    char* ttl_text = icaldurationtype_as_ical_string_r(interval);
    icalproperty* ttl = icalproperty_new_x(ttl_text);
    std::free(ttl_text);
    icalproperty_set_x_name(ttl, "X-PUBLISHED-TTL");
    icalcomponent_add_property(calendar, ttl);
  }
}

icalproperty_method ical_method(CalendarMethod method) {
  switch (method) {
    case CalendarMethod::publish:
      return ICAL_METHOD_PUBLISH;
    case CalendarMethod::request:
      return ICAL_METHOD_REQUEST;
    case CalendarMethod::cancel:
      return ICAL_METHOD_CANCEL;
  }
  return ICAL_METHOD_NONE;
}

}  // namespace

std::string_view to_string(CalendarMethod method) {
  switch (method) {
    case CalendarMethod::publish:
      return "PUBLISH";
    case CalendarMethod::request:
      return "REQUEST";
    case CalendarMethod::cancel:
      return "CANCEL";
  }
  return "?";
}

std::string session_uid(std::string_view series_id, std::string_view session_id) {
  std::string uid{session_id};
  uid += '.';
  uid += series_id;
  uid += "@kutsu.invalid";
  return uid;
}

Result<std::string> build_calendar(const CalendarRequest& request) {
  // libical 3.0 keeps lazily filled globals (the built-in zone table, the
  // UTC zone) without locking them, so one calendar is built at a time.
  static std::mutex libical_mutex;
  std::lock_guard lock(libical_mutex);
  // A PUBLISH names no attendee, so every recipient of an invitation burst
  // (within the same second: DTSTAMP) gets the same text: keep the last few.
  static std::map<std::string, std::string> published;
  std::string key;
  if (request.method == CalendarMethod::publish) {
    key = request_key(request);
    if (auto it = published.find(key); it != published.end()) return it->second;
  }
  if (request.events.empty()) return Error{"a calendar needs at least one event"};
  if (request.method != CalendarMethod::publish) {
    for (const CalendarEvent& event : request.events) {
      if (event.uid != request.events.front().uid) {
        return Error{"an iTIP " + std::string{to_string(request.method)} +
                     " must be about exactly one event"};
      }
    }
  }
  if (request.method != CalendarMethod::publish && !request.attendee) {
    return Error{"an iTIP " + std::string{to_string(request.method)} + " needs an attendee"};
  }

  date::local_seconds earliest = request.events.front().start;
  date::local_seconds latest = request.events.front().end;
  for (const CalendarEvent& event : request.events) {
    earliest = std::min(earliest, event.start);
    latest = std::max(latest, event.end);
  }
  // libical writes a year past 2999 as 00000000T000000, and the zone rules
  // stop before that (agenda/time_range.h): fail rather than send nonsense.
  if (!agenda::in_supported_years(earliest) || !agenda::in_supported_years(latest)) {
    return Error{"a session is " + agenda::outside_supported_years()};
  }
  // One VTIMEZONE per zone the events use, from the earliest event in it.
  std::map<std::string, date::local_seconds> zones;
  for (const CalendarEvent& event : request.events) {
    auto [it, inserted] = zones.try_emplace(zone_of(event, request), event.start);
    if (!inserted) it->second = std::min(it->second, event.start);
  }
  std::vector<ComponentPtr> vtimezones;
  for (const auto& [tzid, from] : zones) {
    ComponentPtr vtimezone = make_vtimezone(tzid, from);
    if (!vtimezone) return Error{"time zone '" + tzid + "' is not known to libical"};
    vtimezones.push_back(std::move(vtimezone));
  }

  ComponentPtr calendar{icalcomponent_new_vcalendar()};
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//Kutsu//Kutsu//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ical_method(request.method)));
  add_feed_properties(calendar.get(), request);
  for (ComponentPtr& vtimezone : vtimezones) icalcomponent_add_component(calendar.get(), vtimezone.release());
  for (const CalendarEvent& event : request.events) {
    icalcomponent_add_component(calendar.get(), make_event(event, request));
  }

  std::unique_ptr<char, decltype(&std::free)> text{icalcomponent_as_ical_string_r(calendar.get()),
                                                   &std::free};
  if (!text) {
    return Error{std::string{"libical could not write the calendar: "} +
                 icalerror_strerror(icalerrno)};
  }
  std::string out{text.get()};
  if (request.method == CalendarMethod::publish) {
    if (published.size() >= kMaxCalendars) published.clear();
    published.emplace(std::move(key), out);
  }
  return out;
}

}  // namespace kutsu::notifier
