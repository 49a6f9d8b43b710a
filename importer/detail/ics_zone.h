// IcsZones: what a TZID parameter of an iCalendar file names.
//
// Promises, in this order of preference for a TZID:
//  1. "UTC", "GMT", "Etc/UTC" … : UTC (an instant; it names no zone of the
//     organiser, so it does not count towards the series zone).
//  2. an IANA name (also at the end of a prefixed TZID such as
//     "/mozilla.org/20070129_1/Europe/Helsinki"): that zone of the tz
//     database, whatever the file's VTIMEZONE for it says;
//  3. a Windows name ("FLE Standard Time"): the IANA zone ICU maps it to;
//  4. a VTIMEZONE of the file with that TZID: its X-LIC-LOCATION when that
//     is an IANA name, else the VTIMEZONE itself, through libical. A
//     VTIMEZONE whose rules repeat more often than monthly or start before
//     1583 is not used (libical would expand it for minutes).
// Anything else is unknown (nullopt) and the caller reports it.
// Expects: the calendar outlives the IcsZones and its IcsZone values. Not
// thread-safe (caches, and libical's zones cache their expansions).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>
#include <libical/ical.h>

namespace kutsu::importer::detail {

struct IcsZone {
  bool utc = false;
  const date::time_zone* tz = nullptr;  // set for IANA, Windows and located VTIMEZONEs
  std::string iana;                     // the name to write as the series zone; empty unless tz
  icaltimezone* defined = nullptr;      // a VTIMEZONE of the file, used when tz is null
};

// An IANA zone of the tz database by name; null for anything else (also for
// "localtime" and the posix/ and right/ copies the OS database lists).
const date::time_zone* find_iana_zone(std::string_view name);

class IcsZones {
 public:
  // `regions`: ISO 3166 codes tried first when mapping Windows names.
  explicit IcsZones(std::vector<std::string> regions) : regions_(std::move(regions)) {}

  // `calendar` is the VCALENDAR holding the property (its VTIMEZONEs are looked at).
  std::optional<IcsZone> resolve(icalcomponent* calendar, std::string_view tzid);

 private:
  std::optional<IcsZone> resolve_uncached(icalcomponent* calendar, const std::string& tzid);

  std::vector<std::string> regions_;
  std::map<std::pair<icalcomponent*, std::string>, std::optional<IcsZone>> cache_;
};

}  // namespace kutsu::importer::detail
