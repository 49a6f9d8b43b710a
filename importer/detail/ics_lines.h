// IcsLines: where the events and their properties are in an iCalendar text,
// for messages. libical keeps no line numbers, so the text is scanned here.
//
// Promises: lines count from 1 and are physical lines of the file (a folded
// property is at the line its name is on); 0 means "not found". Only events
// that libical reads as events of a calendar are listed: a VEVENT directly
// inside a VCALENDAR, or a file that is one bare VEVENT. Events are listed in
// file order, each with its UID (unfolded, as written) so that a caller can
// pair them with libical's components even if libical dropped one.
// Expects: any bytes; never fails.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kutsu::importer::detail {

struct IcsPropertyLine {
  std::string name;  // upper case
  int line = 0;
  std::string value;  // unfolded, as written (escapes kept)
};

struct IcsEventLines {
  int line = 0;  // of BEGIN:VEVENT
  std::string uid;
  std::vector<IcsPropertyLine> properties;  // nested components (VALARM) left out
};

class IcsLines {
 public:
  explicit IcsLines(std::string_view text);

  const std::vector<IcsEventLines>& events() const { return events_; }
  int calendar_line() const { return calendar_line_; }  // the first BEGIN:VCALENDAR, else 0
  // The line of the `nth` property `name` (upper case) of event `event`,
  // else the event's own line (0 when `event` is out of range).
  int property_line(std::size_t event, std::string_view name, std::size_t nth = 0) const;
  // The line of the first property `name` of event `event` whose value is
  // `value`, else property_line(event, name).
  int property_line_with_value(std::size_t event, std::string_view name, std::string_view value) const;

 private:
  std::vector<IcsEventLines> events_;
  int calendar_line_ = 0;
};

}  // namespace kutsu::importer::detail
