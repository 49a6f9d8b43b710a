#include "importer/ics_import.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <libical/ical.h>

#include "agenda/detail/https_link.h"
#include "agenda/detail/recurrence_rule.h"
#include "importer/detail/ics_escapes.h"
#include "importer/detail/ics_event.h"
#include "importer/detail/ics_lines.h"
#include "importer/detail/ics_rule.h"
#include "importer/detail/ics_time.h"
#include "importer/detail/ics_zone.h"
#include "importer/detail/join_link.h"
#include "importer/detail/session_id.h"
#include "importer/detail/utf8.h"

namespace kutsu::importer {
namespace {

using date::local_days;
using date::local_seconds;
using detail::IcsEvent;
using detail::IcsTime;

constexpr char kDefaultZone[] = "Europe/Helsinki";
constexpr std::size_t kRuleExpansionLimit = 20000;  // occurrences looked at to check EXDATE/RECURRENCE-ID

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};

// libical's default (a build option) may abort the program on a malformed
// input; an import must report, never abort.
void make_libical_errors_non_fatal() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

std::string day_text(local_days day) { return date::format("%F", day); }

// The draft holds std::chrono times; date/tz (which g++ 12 needs for zones)
// has its own clock types with the same epoch.
LocalTime to_draft(local_seconds t) { return LocalTime{t.time_since_epoch()}; }
std::chrono::local_days to_draft(local_days d) {
  return std::chrono::local_days{std::chrono::days{d.time_since_epoch().count()}};
}
local_seconds from_draft(LocalTime t) { return local_seconds{t.time_since_epoch()}; }
std::string reading_text(local_seconds t) { return date::format("%F %R", t); }
std::chrono::seconds time_of_day(local_seconds t) { return t - date::floor<date::days>(t); }

std::string x_property(icalcomponent* calendar, std::string_view wanted) {
  for (icalproperty* p = icalcomponent_get_first_property(calendar, ICAL_X_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(calendar, ICAL_X_PROPERTY)) {
    const char* name = icalproperty_get_x_name(p);
    const char* value = icalproperty_get_x(p);
    if (name != nullptr && value != nullptr && wanted == name) return detail::repaired_utf8(value);
  }
  return {};
}

std::string calendar_text(icalcomponent* calendar, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(calendar, kind);
  if (p == nullptr) return {};
  const char* text = nullptr;
  if (kind == ICAL_NAME_PROPERTY) text = icalproperty_get_name(p);
  if (kind == ICAL_DESCRIPTION_PROPERTY) text = icalproperty_get_description(p);
  return text == nullptr ? std::string() : detail::repaired_utf8(text);
}

// The VCALENDARs of the parsed text: one, several (libical wraps them in an
// XROOT), or a file that is a bare VEVENT (then the event is its own calendar).
std::vector<icalcomponent*> calendars_of(icalcomponent* root) {
  std::vector<icalcomponent*> calendars;
  const icalcomponent_kind kind = icalcomponent_isa(root);
  if (kind == ICAL_VCALENDAR_COMPONENT || kind == ICAL_VEVENT_COMPONENT) {
    calendars.push_back(root);
  } else if (kind == ICAL_XROOT_COMPONENT) {
    for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c != nullptr;
         c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
      calendars.push_back(c);
    }
  }
  return calendars;
}

struct Found {
  icalcomponent* event;
  icalcomponent* calendar;
};

std::vector<Found> events_of(const std::vector<icalcomponent*>& calendars) {
  std::vector<Found> events;
  for (icalcomponent* calendar : calendars) {
    if (icalcomponent_isa(calendar) == ICAL_VEVENT_COMPONENT) {
      events.push_back({calendar, nullptr});
      continue;
    }
    for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e != nullptr;
         e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      events.push_back({e, calendar});
    }
  }
  return events;
}

// Pairs libical's k-th event with the k-th BEGIN:VEVENT of the text, unless
// their UIDs say otherwise (libical dropped one): then the next unused one
// with that UID.
class LinePairing {
 public:
  explicit LinePairing(const detail::IcsLines& lines) : lines_(lines), used_(lines.events().size(), false) {}

  std::size_t index_for(icalcomponent* event) {
    const char* uid_text = icalcomponent_get_uid(event);
    const std::string uid = uid_text ? uid_text : "";
    const auto& events = lines_.events();
    std::size_t pick = events.size();
    if (next_ < events.size() && !used_[next_] && events[next_].uid == uid) {
      pick = next_;
    } else {
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (!used_[i] && events[i].uid == uid) {
          pick = i;
          break;
        }
      }
    }
    if (pick < events.size()) {
      used_[pick] = true;
      next_ = pick + 1;
    }
    return pick;
  }

 private:
  const detail::IcsLines& lines_;
  std::vector<bool> used_;
  std::size_t next_ = 0;
};

// The zone to write as the series zone: --timezone, else the IANA zone most
// events are written in, else the calendar's X-WR-TIMEZONE, else Helsinki.
struct SeriesZone {
  std::string name;
  const date::time_zone* zone = nullptr;
  std::string why;
};

SeriesZone choose_zone(const ImportOptions& options, const std::vector<IcsEvent>& events,
                       const std::vector<icalcomponent*>& calendars) {
  if (!options.timezone.empty()) {
    return {options.timezone, detail::find_iana_zone(options.timezone), "as --timezone says"};
  }
  std::map<std::string, int> votes;
  std::vector<std::string> order;
  for (const IcsEvent& event : events) {
    if (!event.start || event.start->iana.empty()) continue;
    if (votes[event.start->iana]++ == 0) order.push_back(event.start->iana);
  }
  std::string best;
  for (const std::string& name : order) {
    if (best.empty() || votes[name] > votes[best]) best = name;
  }
  if (!best.empty()) return {best, detail::find_iana_zone(best), "the zone the calendar's events are written in"};
  for (icalcomponent* calendar : calendars) {
    const std::string named = x_property(calendar, "X-WR-TIMEZONE");
    if (const date::time_zone* zone = detail::find_iana_zone(named)) {
      return {named, zone, "the calendar's own zone (X-WR-TIMEZONE)"};
    }
  }
  return {kDefaultZone, detail::find_iana_zone(kDefaultZone),
          "the calendar names no zone; Kutsu's default is assumed"};
}

agenda::Language choose_language(const ImportOptions& options, const std::vector<IcsEvent>& events) {
  if (options.language) return *options.language;
  std::map<std::string, int> votes;
  for (const IcsEvent& event : events) {
    if (event.language.size() >= 2) votes[event.language.substr(0, 2)]++;
  }
  std::string best;
  for (const auto& [code, count] : votes) {
    if (agenda::parse_language(code) && (best.empty() || count > votes[best])) best = code;
  }
  if (auto language = agenda::parse_language(best)) return *language;
  return agenda::Language::fi;
}

class Builder {
 public:
  Builder(const date::time_zone& zone, DraftSeries& draft) : zone_(zone), draft_(draft) {}

  DraftSession session_of(const IcsEvent& event) {
    DraftSession session;
    session.source_line = event.line;
    session.title = event.summary;
    if (session.title.empty()) {
      session.title = "(no title)";
      session.notes.push_back("The event has no title (SUMMARY) in the calendar.");
    }
    session.description = event.description;
    session.location = event.location;
    session.cancelled = event.cancelled;
    session.notes.insert(session.notes.end(), event.notes.begin(), event.notes.end());
    set_join_url(event, session);
    set_times(event, session);
    return session;
  }

  void set_recurrence(const IcsEvent& event, DraftSession& session) {
    if (!event.rules.empty()) {
      set_rule(event, session);
    } else if (!event.rdates.empty()) {
      set_dates(event, session);
    } else if (!event.exdates.empty()) {
      session.notes.push_back("The calendar lists EXDATE for an event that does not repeat; left out.");
    }
  }

  // A RECURRENCE-ID event applied to its master. False when the date is not
  // one of the master's occurrences (the caller imports it on its own).
  bool apply_override(const IcsEvent& event, DraftSession& master, const IcsEvent& master_event) {
    const local_days day = detail::day_in_zone(*event.recurrence_id, zone_);
    if (!is_occurrence(master, day)) return false;
    if (auto excepted = std::find(master.except.begin(), master.except.end(), to_draft(day));
        excepted != master.except.end()) {
      if (event.cancelled) return true;  // already taken out by EXDATE
      master.except.erase(excepted);
      master.notes.push_back("The calendar both excludes " + day_text(day) +
                             " (EXDATE) and changes it; the change is kept.");
    }
    DraftOccurrence change;
    change.date = to_draft(day);
    change.cancelled = event.cancelled;
    const local_seconds planned = day + time_of_day(from_draft(master.start));
    const local_seconds start = detail::in_zone(*event.start, zone_);
    const std::chrono::seconds length = length_of(master);
    if (start != planned) change.start = to_draft(start);
    const std::optional<local_seconds> end = end_of(event, start);
    if (end && *end != start + length) change.end = to_draft(*end);
    if (!event.summary.empty() && event.summary != master_event.summary) change.title = event.summary;
    if (event.description != master_event.description) change.description = event.description;
    if (event.location != master_event.location) change.location = event.location;
    if (!change.cancelled && !change.start && !change.end && !change.title && !change.description &&
        !change.location) {
      return true;  // the same as the rule gives
    }
    auto same_day = std::find_if(master.occurrences.begin(), master.occurrences.end(),
                                 [&](const DraftOccurrence& o) { return o.date == to_draft(day); });
    if (same_day != master.occurrences.end()) {
      master.notes.push_back("The calendar changes the occurrence on " + day_text(day) +
                             " more than once; the change at line " + std::to_string(event.line) + " is used.");
      *same_day = change;
    } else {
      master.occurrences.push_back(change);
    }
    return true;
  }

 private:
  static std::chrono::seconds length_of(const DraftSession& session) {
    if (session.end) return *session.end - session.start;
    return session.duration.value_or(std::chrono::hours{1});
  }

  std::optional<local_seconds> end_of(const IcsEvent& event, local_seconds start) const {
    if (event.end) return detail::in_zone(*event.end, zone_);
    if (event.duration) return start + *event.duration;
    return std::nullopt;
  }

  void set_join_url(const IcsEvent& event, DraftSession& session) {
    if (!event.url.empty()) {
      if (agenda::detail::is_https_link(event.url)) {
        session.join_url = event.url;
        return;
      }
      session.notes.push_back("The calendar's URL " + event.url + " is not an https link; not used to join.");
    }
    if (auto link = detail::meeting_link(event.description)) {
      session.join_url = *link;
    } else if (auto in_location = detail::meeting_link(event.location)) {
      session.join_url = *in_location;
    }
  }

  void set_times(const IcsEvent& event, DraftSession& session) {
    const IcsTime& start = *event.start;
    if (start.all_day) {
      const local_days first = date::floor<date::days>(start.reading);
      local_days last = first;
      if (event.end) {
        last = std::max(first, date::floor<date::days>(event.end->reading) - date::days{1});
      } else if (event.duration) {
        last = std::max(first, first + date::days{(event.duration->count() - 1) / 86400});
      }
      session.start = to_draft(first + std::chrono::hours{9});
      session.end = to_draft(last + std::chrono::hours{17});
      session.notes.push_back(
          "An all-day event in the calendar (" + day_text(first) + (last != first ? " – " + day_text(last) : "") +
          "): 09:00–17:00 is assumed. Write the real start and end times.");
      return;
    }
    session.start = to_draft(detail::in_zone(start, zone_));
    if (event.end) {
      // A DATE end of a timed event (written by some programs): midnight.
      session.end = to_draft(event.end->all_day ? event.end->reading : detail::in_zone(*event.end, zone_));
    } else if (event.duration) {
      session.duration = *event.duration;
    }
    if ((session.end && *session.end <= session.start) || (!session.end && !session.duration)) {
      session.end.reset();
      session.duration = std::chrono::hours{1};
      session.notes.push_back("The calendar gives the event no length; one hour is assumed.");
    }
    if (start.floating()) floating_ = true;
  }

  void set_rule(const IcsEvent& event, DraftSession& session) {
    Result<std::string> rule = detail::repeat_rule(event.rules.front(), from_draft(session.start), zone_);
    if (!rule) {
      const std::string written = detail::rule_text(event.rules.front());
      session.notes.push_back("NOT IMPORTED: the calendar repeats this event by RRULE:" + written +
                              ", which a series file cannot say (" + rule.error().message +
                              "). Only its first occurrence is here; add the others by hand.");
      draft_.notes.push_back("The repeat rule of the event at line " + std::to_string(event.line) +
                             " could not be imported: see the comment above its session.");
      return;
    }
    session.repeat = *rule;
    for (std::size_t i = 1; i < event.rules.size(); ++i) {
      session.notes.push_back("NOT IMPORTED: a second repeat rule RRULE:" + detail::rule_text(event.rules[i]) +
                              " (a session has one rule).");
    }
    std::set<local_days> excepted;
    for (const IcsTime& exdate : event.exdates) excepted.insert(detail::day_in_zone(exdate, zone_));
    for (local_days day : excepted) {
      if (is_occurrence(session, day)) {
        session.except.push_back(to_draft(day));
      } else {
        session.notes.push_back("The calendar excludes " + day_text(day) +
                                " (EXDATE), which is not a date of the rule; left out.");
      }
    }
    if (!event.rdates.empty()) {
      std::string extra;
      for (const auto& rdate : event.rdates) {
        extra += (extra.empty() ? "" : ", ") + reading_text(detail::in_zone(rdate.start, zone_));
      }
      session.notes.push_back("NOT IMPORTED: besides its rule the calendar also has this event on " + extra +
                              " (RDATE). A session has a rule or dates, not both: add these as a session of "
                              "their own with `dates`.");
      draft_.notes.push_back("The event at line " + std::to_string(event.line) +
                             " has extra dates (RDATE) that are not imported: see the comment above its session.");
    }
  }

  void set_dates(const IcsEvent& event, DraftSession& session) {
    const local_seconds first = from_draft(session.start);
    std::set<local_days> days{date::floor<date::days>(first)};
    const std::chrono::seconds length = length_of(session);
    std::vector<DraftOccurrence> moved;
    for (const auto& rdate : event.rdates) {
      const local_seconds start = rdate.start.all_day ? date::floor<date::days>(rdate.start.reading) +
                                                            time_of_day(first)
                                                      : detail::in_zone(rdate.start, zone_);
      const local_days day = date::floor<date::days>(start);
      if (!days.insert(day).second) continue;
      DraftOccurrence change;
      change.date = to_draft(day);
      if (time_of_day(start) != time_of_day(first)) change.start = to_draft(start);
      std::optional<local_seconds> end;
      if (rdate.end) end = detail::in_zone(*rdate.end, zone_);
      if (rdate.duration) end = start + *rdate.duration;
      if (end && *end > start && *end - start != length) change.end = to_draft(*end);
      if (change.start || change.end) moved.push_back(change);
    }
    for (const IcsTime& exdate : event.exdates) {
      const local_days day = detail::day_in_zone(exdate, zone_);
      if (days.size() > 1 && days.erase(day) > 0) {
        std::erase_if(moved, [&](const DraftOccurrence& o) { return o.date == to_draft(day); });
      } else {
        session.notes.push_back("The calendar excludes " + day_text(day) +
                                " (EXDATE), which is not one of its dates; left out.");
      }
    }
    for (local_days day : days) session.dates.push_back(to_draft(day));
    session.occurrences = std::move(moved);
    // The dates give the days; start and end keep only their times of day,
    // which a dates session cannot have on different days.
    if (session.end && date::floor<date::days>(*session.end) != date::floor<date::days>(session.start)) {
      session.duration = *session.end - session.start;
      session.end.reset();
    }
  }

  bool is_occurrence(const DraftSession& session, local_days day) const {
    if (!session.dates.empty()) {
      return std::binary_search(session.dates.begin(), session.dates.end(), to_draft(day));
    }
    if (session.repeat.empty()) return false;
    const local_seconds first = from_draft(session.start);
    if (day < date::floor<date::days>(first)) return false;
    const std::vector<local_seconds> readings =
        agenda::detail::expand_rule(session.repeat, first, zone_, day, kRuleExpansionLimit);
    return std::any_of(readings.begin(), readings.end(),
                       [&](local_seconds r) { return date::floor<date::days>(r) == day; });
  }

 public:
  bool floating_ = false;

 private:
  const date::time_zone& zone_;
  DraftSeries& draft_;
};

ImportLoad failure(const std::string& file, int line, std::string message) {
  ImportLoad load;
  load.diagnostics.push_back(Diagnostic{file, SourcePos{line, 0}, std::move(message)});
  return load;
}

}  // namespace

ImportLoad import_ics(std::string_view text, const std::string& file, const ImportOptions& options) {
  make_libical_errors_non_fatal();
  const detail::IcsLines lines(text);
  const std::string copy = detail::with_rfc_escapes(text);
  std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(copy.c_str()));
  if (!root) {
    return failure(file, 0, "libical cannot read this as an iCalendar file (BEGIN:VCALENDAR … END:VCALENDAR)");
  }
  const std::vector<icalcomponent*> calendars = calendars_of(root.get());
  const std::vector<Found> found = events_of(calendars);
  if (found.empty()) {
    return failure(file, lines.calendar_line(),
                   "the calendar holds no event (VEVENT): there is nothing to import");
  }

  std::vector<std::string> regions{"FI"};
  if (options.language == agenda::Language::sv) regions.push_back("SE");
  detail::IcsZones zones(regions);
  ImportLoad load;
  LinePairing pairing(lines);
  std::vector<IcsEvent> events;
  for (const Found& f : found) {
    const std::size_t index = pairing.index_for(f.event);
    events.push_back(detail::read_ics_event(f.event, f.calendar, lines, index, zones, file, load.diagnostics));
  }
  if (!options.timezone.empty() && detail::find_iana_zone(options.timezone) == nullptr) {
    load.diagnostics.push_back(Diagnostic{
        file, {}, "--timezone '" + options.timezone + "' is not an IANA time zone (like Europe/Helsinki)"});
  }
  if (!load.diagnostics.empty()) return load;

  const SeriesZone zone = choose_zone(options, events, calendars);
  DraftSeries draft;
  draft.id = options.id;
  draft.timezone = zone.name;
  draft.language = choose_language(options, events);
  for (icalcomponent* calendar : calendars) {
    if (draft.title.empty()) draft.title = x_property(calendar, "X-WR-CALNAME");
    if (draft.title.empty()) draft.title = calendar_text(calendar, ICAL_NAME_PROPERTY);
    if (draft.description.empty()) draft.description = x_property(calendar, "X-WR-CALDESC");
    if (draft.description.empty()) draft.description = calendar_text(calendar, ICAL_DESCRIPTION_PROPERTY);
  }
  draft.notes.push_back("Times are wall-clock times in " + zone.name + " (" + zone.why + ").");

  Builder builder(*zone.zone, draft);
  std::map<std::string, std::size_t> master_of;  // UID → index into draft.sessions
  std::vector<std::size_t> master_event;          // draft session → index into events
  for (std::size_t i = 0; i < events.size(); ++i) {
    const IcsEvent& event = events[i];
    if (event.recurrence_id) continue;
    DraftSession session = builder.session_of(event);
    builder.set_recurrence(event, session);
    if (!event.uid.empty() && !master_of.contains(event.uid)) {
      master_of.emplace(event.uid, draft.sessions.size());
    } else if (!event.uid.empty()) {
      session.notes.push_back("Another event of the calendar has the same UID; changed occurrences "
                              "(RECURRENCE-ID) are applied to the first one.");
    }
    draft.sessions.push_back(std::move(session));
    master_event.push_back(i);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const IcsEvent& event = events[i];
    if (!event.recurrence_id) continue;
    auto master = master_of.find(event.uid);
    if (master != master_of.end() &&
        builder.apply_override(event, draft.sessions[master->second], events[master_event[master->second]])) {
      continue;
    }
    DraftSession session = builder.session_of(event);
    const std::string original = reading_text(detail::in_zone(*event.recurrence_id, *zone.zone));
    session.notes.insert(session.notes.begin(),
                         master == master_of.end()
                             ? "This event changes the occurrence of " + original +
                                   " of a repeating event that is not in the calendar (UID " + event.uid +
                                   "); imported as a session of its own."
                             : "This event changes an occurrence on " + original +
                                   " that its repeating event does not have; imported as a session of its own.");
    draft.sessions.push_back(std::move(session));
  }
  if (builder.floating_) {
    draft.notes.push_back("Some times in the calendar have no zone (floating); they are read as " + zone.name +
                          " wall-clock times.");
  }
  for (DraftSession& session : draft.sessions) {
    std::sort(session.occurrences.begin(), session.occurrences.end(),
              [](const DraftOccurrence& a, const DraftOccurrence& b) { return a.date < b.date; });
  }
  std::stable_sort(draft.sessions.begin(), draft.sessions.end(),
                   [](const DraftSession& a, const DraftSession& b) { return a.start < b.start; });
  std::set<std::string> taken;
  for (DraftSession& session : draft.sessions) session.id = detail::session_id(session.title, taken);
  load.draft = std::move(draft);
  return load;
}

}  // namespace kutsu::importer
