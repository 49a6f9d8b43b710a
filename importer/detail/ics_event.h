// IcsEvent: one VEVENT of the file, its times read (ics_time.h) and its
// problems sorted into those that stop the import and those that only need
// a note.
//
// Promises: `start` is set, or the event produced at least one Diagnostic
// (no DTSTART, a DTSTART/DTEND/DURATION/RRULE/RDATE/EXDATE/RECURRENCE-ID that
// libical could not read or whose zone is unknown, an end before the start),
// each at the line of the property, else of BEGIN:VEVENT, worded for an
// organiser. What libical could not read in other properties becomes a note.
// Expects: `lines` describes the same text libical parsed; `line_index` is the
// event's index in it (or past its end when unknown: line 0).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <libical/ical.h>

#include "base/diagnostic.h"
#include "importer/detail/ics_lines.h"
#include "importer/detail/ics_time.h"
#include "importer/detail/ics_zone.h"

namespace kutsu::importer::detail {

struct IcsRdate {
  IcsTime start;
  std::optional<IcsTime> end;  // a PERIOD value
  std::optional<std::chrono::seconds> duration;
};

struct IcsEvent {
  icalcomponent* component = nullptr;
  int line = 0;
  std::string uid;
  std::string summary;
  std::string description;
  std::string location;
  std::string url;
  std::string language;  // SUMMARY;LANGUAGE=…
  bool cancelled = false;
  int sequence = 0;
  std::optional<IcsTime> start;
  std::optional<IcsTime> end;
  std::optional<std::chrono::seconds> duration;
  std::optional<IcsTime> recurrence_id;
  std::vector<icalrecurrencetype> rules;
  std::vector<IcsTime> exdates;
  std::vector<IcsRdate> rdates;
  std::vector<std::string> notes;
};

IcsEvent read_ics_event(icalcomponent* event, icalcomponent* calendar, const IcsLines& lines,
                        std::size_t line_index, IcsZones& zones, const std::string& file,
                        Diagnostics& diagnostics);

}  // namespace kutsu::importer::detail
