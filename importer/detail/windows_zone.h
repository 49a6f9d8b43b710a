// windows_zone: the IANA zone for a Windows time-zone name as Outlook writes
// it in TZID ("FLE Standard Time", "W. Europe Standard Time"), by ICU's
// CLDR mapping (ucal_getTimeZoneIDForWindowsID), never by a table kept here.
//
// Promises: the IANA name of the zone for `region` (an ISO 3166 code such as
// "FI") when CLDR has one there, else the zone CLDR gives for the name
// worldwide; nullopt for a name that is not a Windows zone. The caller tries
// regions in order so that "FLE Standard Time" becomes Europe/Helsinki for a
// Finnish organiser rather than the worldwide default (Europe/Kiev).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kutsu::importer::detail {

std::optional<std::string> iana_for_windows_zone(std::string_view windows_name,
                                                 const std::vector<std::string>& regions);

}  // namespace kutsu::importer::detail
