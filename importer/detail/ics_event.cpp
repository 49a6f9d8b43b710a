#include "importer/detail/ics_event.h"

#include <array>

#include "importer/detail/utf8.h"

namespace kutsu::importer::detail {
namespace {

constexpr std::array kTimeProperties = {"DTSTART", "DTEND", "DURATION", "RRULE",
                                        "RDATE",   "EXDATE", "RECURRENCE-ID"};

std::string text_of(const char* text) { return text == nullptr ? std::string() : repaired_utf8(text); }

class EventReader {
 public:
  EventReader(icalcomponent* component, icalcomponent* calendar, const IcsLines& lines, std::size_t index,
              IcsZones& zones, const std::string& file, Diagnostics& diagnostics)
      : component_(component),
        calendar_(calendar),
        lines_(lines),
        index_(index),
        zones_(zones),
        file_(file),
        diagnostics_(diagnostics) {}

  IcsEvent read() {
    event_.component = component_;
    event_.line = index_ < lines_.events().size() ? lines_.events()[index_].line : 0;
    event_.uid = text_of(icalcomponent_get_uid(component_));
    event_.summary = text_of(icalcomponent_get_summary(component_));
    event_.description = text_of(icalcomponent_get_description(component_));
    event_.location = text_of(icalcomponent_get_location(component_));
    if (icalproperty* url = icalcomponent_get_first_property(component_, ICAL_URL_PROPERTY)) {
      event_.url = text_of(icalproperty_get_url(url));
    }
    if (icalproperty* summary = icalcomponent_get_first_property(component_, ICAL_SUMMARY_PROPERTY)) {
      if (icalparameter* language = icalproperty_get_first_parameter(summary, ICAL_LANGUAGE_PARAMETER)) {
        event_.language = text_of(icalparameter_get_language(language));
      }
    }
    event_.cancelled = icalcomponent_get_status(component_) == ICAL_STATUS_CANCELLED;
    if (icalcomponent_get_first_property(component_, ICAL_SEQUENCE_PROPERTY) != nullptr) {
      event_.sequence = icalcomponent_get_sequence(component_);
    }
    read_errors();
    read_times();
    read_recurrence();
    return std::move(event_);
  }

 private:
  std::string what() const {
    return event_.summary.empty() ? std::string("the event") : "the event '" + event_.summary + "'";
  }

  void error(int line, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, SourcePos{line, 0}, std::move(message)});
  }

  int line_of(const char* name, std::size_t nth) const { return lines_.property_line(index_, name, nth); }

  // libical replaces what it cannot read by an X-LIC-ERROR property:
  // "Can't parse as DATE-TIME value in DTSTART property. Removing entire
  // property: 2026011T083000".
  void read_errors() {
    for (icalproperty* p = icalcomponent_get_first_property(component_, ICAL_XLICERROR_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component_, ICAL_XLICERROR_PROPERTY)) {
      const std::string message = text_of(icalproperty_get_xlicerror(p));
      if (message.starts_with("No value for ")) continue;  // an empty LOCATION: says nothing
      std::string name;
      if (const auto in = message.find(" in "); in != std::string::npos) {
        const auto end = message.find(" property", in + 4);
        if (end != std::string::npos) name = message.substr(in + 4, end - in - 4);
      }
      std::string value;
      if (const auto colon = message.find("property: "); colon != std::string::npos) {
        value = message.substr(colon + 10);
      }
      std::string reason = message.substr(0, message.find(". Removing"));
      bool timing = false;
      for (const char* property : kTimeProperties) timing = timing || name == property;
      if (timing) {
        start_reported_ = start_reported_ || name == "DTSTART";
        error(lines_.property_line_with_value(index_, name, value),
              name + " '" + value + "' of " + what() + " cannot be read (" + reason +
                  "); Kutsu needs it to tell when the event takes place");
      } else {
        event_.notes.push_back("The calendar's " + (name.empty() ? std::string("text") : name) + " '" + value +
                               "' could not be read and is left out (" + reason + ").");
      }
    }
  }

  std::optional<IcsTime> time_of(icalproperty* property, const icaltimetype& value, const char* name,
                                 std::size_t nth) {
    const char* tzid = nullptr;
    if (icalparameter* parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER)) {
      tzid = icalparameter_get_tzid(parameter);
    }
    Result<IcsTime> time = read_ics_time(value, tzid, calendar_, zones_);
    if (!time) {
      error(line_of(name, nth), std::string(name) + " of " + what() + " " + time.error().message);
      return std::nullopt;
    }
    return *time;
  }

  void read_times() {
    icalproperty* start = icalcomponent_get_first_property(component_, ICAL_DTSTART_PROPERTY);
    if (start == nullptr) {
      // An unreadable DTSTART was reported by read_errors().
      if (!start_reported_) {
        error(event_.line, what() + " has no start (DTSTART): Kutsu cannot tell when it takes place");
      }
      return;
    }
    event_.start = time_of(start, icalproperty_get_dtstart(start), "DTSTART", 0);
    icalproperty* end = icalcomponent_get_first_property(component_, ICAL_DTEND_PROPERTY);
    icalproperty* duration = icalcomponent_get_first_property(component_, ICAL_DURATION_PROPERTY);
    if (end != nullptr) {
      event_.end = time_of(end, icalproperty_get_dtend(end), "DTEND", 0);
      if (duration != nullptr) {
        event_.notes.push_back("The calendar gives both DTEND and DURATION; DTEND is used.");
      }
    } else if (duration != nullptr) {
      const icaldurationtype length = icalproperty_get_duration(duration);
      const int seconds = icaldurationtype_as_int(length);
      if (seconds <= 0 || length.is_neg) {
        error(line_of("DURATION", 0),
              "DURATION of " + what() + " is not a positive length of time");
      } else {
        event_.duration = std::chrono::seconds{seconds};
      }
    }
    if (event_.start && event_.end && event_.end->instant && event_.start->instant &&
        *event_.end->instant < *event_.start->instant) {
      error(line_of("DTEND", 0), "DTEND of " + what() + " is before its DTSTART");
    } else if (event_.start && event_.end && !event_.end->instant && !event_.start->instant &&
               event_.end->reading < event_.start->reading) {
      error(line_of("DTEND", 0), "DTEND of " + what() + " is before its DTSTART");
    }
    if (icalproperty* id = icalcomponent_get_first_property(component_, ICAL_RECURRENCEID_PROPERTY)) {
      event_.recurrence_id = time_of(id, icalproperty_get_recurrenceid(id), "RECURRENCE-ID", 0);
    }
  }

  void read_recurrence() {
    for (icalproperty* p = icalcomponent_get_first_property(component_, ICAL_RRULE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component_, ICAL_RRULE_PROPERTY)) {
      event_.rules.push_back(icalproperty_get_rrule(p));
    }
    std::size_t nth = 0;
    for (icalproperty* p = icalcomponent_get_first_property(component_, ICAL_EXDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component_, ICAL_EXDATE_PROPERTY), ++nth) {
      if (auto time = time_of(p, icalproperty_get_exdate(p), "EXDATE", nth)) event_.exdates.push_back(*time);
    }
    nth = 0;
    for (icalproperty* p = icalcomponent_get_first_property(component_, ICAL_RDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(component_, ICAL_RDATE_PROPERTY), ++nth) {
      const icaldatetimeperiodtype value = icalproperty_get_rdate(p);
      if (!icaltime_is_null_time(value.time)) {
        if (auto time = time_of(p, value.time, "RDATE", nth)) event_.rdates.push_back(IcsRdate{*time, {}, {}});
        continue;
      }
      auto start = time_of(p, value.period.start, "RDATE", nth);
      if (!start) continue;
      IcsRdate rdate{*start, {}, {}};
      if (!icaltime_is_null_time(value.period.end)) {
        rdate.end = time_of(p, value.period.end, "RDATE", nth);
      } else if (const int seconds = icaldurationtype_as_int(value.period.duration); seconds > 0) {
        rdate.duration = std::chrono::seconds{seconds};
      }
      event_.rdates.push_back(std::move(rdate));
    }
  }

  icalcomponent* component_;
  icalcomponent* calendar_;
  const IcsLines& lines_;
  std::size_t index_;
  IcsZones& zones_;
  const std::string& file_;
  Diagnostics& diagnostics_;
  IcsEvent event_;
  bool start_reported_ = false;
};

}  // namespace

IcsEvent read_ics_event(icalcomponent* event, icalcomponent* calendar, const IcsLines& lines,
                        std::size_t line_index, IcsZones& zones, const std::string& file,
                        Diagnostics& diagnostics) {
  return EventReader(event, calendar, lines, line_index, zones, file, diagnostics).read();
}

}  // namespace kutsu::importer::detail
