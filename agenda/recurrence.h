// Recurring sessions: one `[[session]]` that stands for many occurrences
// (agenda-format.md, "Recurring sessions").
//
// The parser expands a recurring session into ordinary Sessions, one per
// occurrence, so that planning, reminders, updates and the admin API treat
// an occurrence like any session. What it expanded from is kept here, for
// what must describe the whole rule: the invitation's RRULE/RDATE and the
// mail text that says the rule in words.
//
// Dates are local dates in the series zone. An occurrence is known by the
// date the rule gives it (its `planned` date): its id is
// `<session id>-<YYYYMMDD>` of that date, and moving it with
// `[[session.occurrence]]` keeps the id.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "base/diagnostic.h"

namespace kutsu::agenda {

// `on = "sunday before"` or `"2 days after"`: where an occurrence falls
// relative to a date of a `dates` list.
struct DayShift {
  enum class Direction { before, after };
  std::optional<date::weekday> weekday;  // set: the nearest such weekday, never the date itself
  int days = 0;                          // when weekday is not set
  Direction direction = Direction::before;

  date::local_days apply(date::local_days day) const;
};

// How the occurrences of one recurring session are found.
struct Recurrence {
  std::optional<std::string> rule;  // `repeat`: an RFC 5545 RRULE as written
  bool open_ended = false;          // a rule without UNTIL or COUNT
  std::vector<date::local_days> except;  // `except`, in file order
  // `dates` (from the list or the .ics file), before `on` is applied; sorted.
  std::vector<date::local_days> dates;
  std::optional<std::filesystem::path> dates_file;  // `dates = "file.ics"`, resolved
  std::optional<DayShift> on;
  SourcePos pos;  // of `repeat` or `dates`
};

// A session of the file that stands for many: its id, what it repeats, and
// the occurrences planned from it (indexes into Series::sessions, by date).
struct RecurringSession {
  std::string id;
  Recurrence recurrence;
  std::vector<std::size_t> occurrences;
  // Where the rule puts an occurrence on its date: the written start's time
  // of day, and the written length (end minus start as wall clock).
  std::chrono::seconds time_of_day{0};
  std::chrono::seconds length{0};
  SourcePos pos;

  date::local_seconds planned_start(date::local_days day) const { return day + time_of_day; }
};

// What Session::occurrence says about an occurrence.
struct OccurrenceOf {
  std::size_t recurring = 0;   // index into Series::recurring
  date::local_days planned;    // the date the rule gave it (the id's date)
  bool changed = false;        // a [[session.occurrence]] moved it or changed a field
};

// How far rules (`repeat`) are expanded: occurrences that start on or before
// this date, in the series zone, are planned. `dates` lists are planned
// whole.
struct PlanUntil {
  // An instant (the daemon's horizon: now + plan_horizon), or a local date
  // (`kutsu plan --until DATE`).
  std::variant<date::sys_seconds, date::local_days> end;

  static PlanUntil horizon(date::sys_seconds now, date::days plan_horizon = date::days{400}) {
    return PlanUntil{now + plan_horizon};
  }
  date::local_days in_zone(const date::time_zone& zone) const;
};

// "<id>-20260126".
std::string occurrence_id(const std::string& session_id, date::local_days planned);

}  // namespace kutsu::agenda
