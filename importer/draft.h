// DraftSeries: a series as an importer read it from an organiser's
// announcement text or calendar file, before anyone has filled in what the
// source cannot say (the id, the organiser, the join link, the participants).
//
// A draft is a plain value with no validation of its own: series_writer.h
// turns it into a series TOML that `kutsu check` reads, and whatever the
// source left open becomes a `# TODO` line there. Times are wall-clock
// readings in the draft's `timezone`; an importer converts UTC and other
// zones into it. Nothing in the source may be dropped silently: text an
// importer could not place goes into `notes`, which are written as comments.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agenda/language.h"
#include "agenda/series.h"

namespace kutsu::importer {

using LocalTime = std::chrono::local_seconds;

// `[[session.agenda]]`: an item of a day's timetable, times of day.
struct DraftAgendaItem {
  std::chrono::minutes start{};
  std::optional<std::chrono::minutes> end;  // absent: a point in time
  std::string title;
  std::vector<std::string> speakers;
  agenda::AgendaItemKind kind = agenda::AgendaItemKind::talk;
};

// `[[session.occurrence]]`: one occurrence of a recurring session changed or
// cancelled. `date` is the occurrence's own (original) date.
struct DraftOccurrence {
  std::chrono::local_days date{};
  std::optional<LocalTime> start;
  std::optional<LocalTime> end;
  bool cancelled = false;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> location;
};

struct DraftSession {
  std::string id;  // chosen by the importer from the title; unique in the draft
  std::string title;
  LocalTime start{};
  // One of end / duration is set. `duration` is for sources that say "how
  // long" rather than "until when" (an iCalendar DURATION).
  std::optional<LocalTime> end;
  std::optional<std::chrono::seconds> duration;
  std::optional<LocalTime> doors_open;
  std::vector<std::string> speakers;
  std::string description;
  std::string location;
  std::string join_url;  // empty: the series link (or a TODO)
  bool cancelled = false;

  // A recurring session: an RFC 5545 rule (without "RRULE:") and its
  // exceptions, or a list of dates on which the session takes place at the
  // time of day of `start`. At most one of `repeat` and `dates` is set.
  std::string repeat;
  std::vector<std::chrono::local_days> except;
  std::vector<std::chrono::local_days> dates;
  std::vector<DraftOccurrence> occurrences;

  std::vector<DraftAgendaItem> agenda;
  // Comment lines written above the session: what the importer assumed, and
  // source text that belongs near it but has no key.
  std::vector<std::string> notes;
  int source_line = 0;  // where the session starts in the source, for messages
};

struct DraftSeries {
  std::string id;     // empty: written as a TODO
  std::string title;  // empty: written as a TODO
  std::string description;
  std::string timezone;  // IANA name
  agenda::Language language = agenda::Language::fi;
  std::string join_url;  // empty: written as a TODO unless every session has its own
  std::string source;    // the file the draft was read from, named in the header comment
  // Comment lines at the top of the file: how the source was read (an
  // encoding converted, a year assumed) and text that could not be placed.
  std::vector<std::string> notes;
  std::vector<DraftSession> sessions;
};

}  // namespace kutsu::importer
