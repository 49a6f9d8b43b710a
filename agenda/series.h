// The series model: one organiser's series file after parsing and validation.
//
// A Series is a plain value. It owns all of its strings; planned notifications
// point into it (sessions, participants, reminders), so a Series must outlive
// every plan made from it. Field meanings are those of
// shared/design/agenda-format.md; each element keeps the SourcePos of its
// table so that later checks (time conversion in the scheduler, webhook names
// against the daemon config) can still point at the line an organiser wrote.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agenda/channel.h"
#include "agenda/duration.h"
#include "agenda/language.h"
#include "agenda/participant.h"
#include "agenda/recurrence.h"
#include "agenda/written_time.h"

namespace date {
class time_zone;
}

namespace kutsu::agenda {

struct Organiser {
  std::string name;
  std::string email;
};

// `[invitation]`: exactly one of send_at / before is set.
struct Invitation {
  std::optional<WrittenTime> send_at;
  std::optional<Duration> before;  // relative to the first session's start
  SourcePos pos;
};

// `[[reminder]]` or `[[session.reminder]]`.
struct Reminder {
  Duration before;                          // positive
  std::optional<std::chrono::seconds> at;   // local time of day on the day `before` lands on
  std::vector<Channel> channels;            // empty: every channel the series has
  SourcePos pos;
  // `before` exactly as the organiser wrote it ("PT60S", "P1W"): what people
  // and programs are shown (webhook "offset", plan output). Notification ids
  // and the outbox use before.canonical(), so writing "PT1M" instead keeps
  // every id. Empty in a series built in code.
  std::string before_text;

  std::string written_before() const {
    return before_text.empty() ? before.canonical() : before_text;
  }
  // `at` as TOML writes a local time, "09:00:00"; empty without one.
  std::string written_at() const;
};

// What tells a reminder apart in notification ids: its `before`
// (canonical) and, when another reminder of `list` on a shared channel has
// the same `before` (a morning and an evening note the day before), also
// its `at`: "P1D@09:00:00", "P1D@-" for the one without. So every reminder
// that was valid before `at` counted keeps the id it had.
std::string reminder_identity(const Reminder& reminder, const std::vector<Reminder>& list);

enum class AgendaItemKind { talk, break_, meal, discussion, culture, other };
std::string_view to_string(AgendaItemKind kind);

// `[[session.agenda]]`: a programme item. Times given as a bare local time
// are completed with the session's date by the parser.
struct AgendaItem {
  WrittenTime start;
  std::optional<WrittenTime> end;  // absent for a point in time ("14.55 päätös")
  std::string title;
  std::vector<std::string> speakers;
  AgendaItemKind kind = AgendaItemKind::talk;
  SourcePos pos;
};

struct Session {
  std::string id;
  std::string title;
  WrittenTime start;
  WrittenTime end;  // from `end`, or start + `duration` (as elapsed time)
  std::optional<WrittenTime> doors_open;
  std::vector<std::string> speakers;
  std::string description;
  std::optional<std::string> join_url;  // overrides the series link
  std::string location;
  bool cancelled = false;
  // nullopt: the series reminders apply; empty: `reminders = "none"`;
  // otherwise the session's own `[[session.reminder]]` list.
  std::optional<std::vector<Reminder>> reminders;
  std::vector<AgendaItem> agenda;
  // Set for an occurrence of a recurring session (recurrence.h).
  std::optional<OccurrenceOf> occurrence;
  SourcePos pos;
};

// A name that refers to something defined elsewhere (a webhook endpoint in the
// daemon config), kept with its place so an unknown name can be reported.
struct NameRef {
  std::string name;
  SourcePos pos;
};

struct Series {
  std::filesystem::path source_file;  // the .toml it was read from
  std::string id;
  std::string title;
  std::string timezone;                    // IANA name as written
  const date::time_zone* zone = nullptr;   // from date's tz database; never null after parsing
  SourcePos timezone_pos;
  Language language = Language::fi;
  std::string description;
  Organiser organiser;
  std::optional<std::string> join_url;
  std::optional<std::filesystem::path> participants_file;  // resolved against source_file
  std::vector<Participant> participants;
  std::optional<std::vector<std::string>> audience;  // nullopt: everyone
  std::vector<NameRef> webhooks;
  std::optional<std::filesystem::path> templates_dir;  // per-series template overrides
  // `calendar_alarm`: calendars remind this long before each session (VALARM).
  std::optional<Duration> calendar_alarm;
  // `public = true`: listed on the public event calendar (/calendar and
  // /calendar.ics), its sessions without join links or participants.
  bool is_public = false;
  // `cancelled = true`: the whole series is called off; every session is
  // then cancelled too (notices to those invited, no reminders).
  bool cancelled = false;
  std::optional<Invitation> invitation;
  std::vector<Reminder> reminders;
  // In file order; a recurring session's occurrences stand where it was
  // written, by date.
  std::vector<Session> sessions;
  std::vector<RecurringSession> recurring;  // in file order

  // The reminders that apply to `session` (its own list or the series list).
  const std::vector<Reminder>& reminders_for(const Session& session) const {
    return session.reminders ? *session.reminders : reminders;
  }
  // The join link a participant gets for a session: personal, session, series.
  const std::string* join_url_for(const Session& session, const Participant* participant) const {
    if (participant && participant->join_url) return &*participant->join_url;
    if (session.join_url) return &*session.join_url;
    return join_url ? &*join_url : nullptr;
  }
  // Whether `participant` is in the audience (roles intersect, or no audience).
  bool in_audience(const Participant& participant) const;
};

}  // namespace kutsu::agenda
