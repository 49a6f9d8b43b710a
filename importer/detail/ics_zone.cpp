#include "importer/detail/ics_zone.h"

#include <algorithm>

#include "importer/detail/windows_zone.h"

namespace kutsu::importer::detail {
namespace {

bool is_utc_name(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return upper == "UTC" || upper == "GMT" || upper == "Z" || upper == "ETC/UTC" || upper == "ETC/GMT" ||
         upper == "UNIVERSAL" || upper == "ETC/UNIVERSAL" || upper == "ZULU" || upper == "ETC/ZULU" ||
         upper == "COORDINATED UNIVERSAL TIME" || upper == "GREENWICH MEAN TIME";
}

bool plausible_iana(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "localtime") return false;
  if (name.starts_with("posix/") || name.starts_with("right/") || name.starts_with("/")) return false;
  if (name.find("..") != std::string_view::npos || name.ends_with("/")) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '-' || c == '+';
  });
}

std::string trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\"");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\"");
  return std::string(text.substr(begin, end - begin + 1));
}

// "/mozilla.org/20070129_1/Europe/Helsinki" → Europe/Helsinki: the longest
// tail after a '/' that is a zone with an area ("Area/City").
std::optional<std::string> prefixed_iana(const std::string& tzid) {
  if (!tzid.starts_with("/")) return std::nullopt;
  for (std::size_t slash = tzid.find('/'); slash != std::string::npos; slash = tzid.find('/', slash + 1)) {
    const std::string tail = tzid.substr(slash + 1);
    if (tail.find('/') != std::string::npos && find_iana_zone(tail) != nullptr) return tail;
  }
  return std::nullopt;
}

IcsZone iana_zone(const std::string& name) {
  IcsZone zone;
  zone.tz = find_iana_zone(name);
  zone.iana = name;
  return zone;
}

// libical expands a VTIMEZONE's observances from their DTSTART up to the
// year asked for; rules that repeat often or start very early make that a
// long loop, which a hostile file must not be able to ask for.
bool expandable(icalcomponent* vtimezone) {
  for (icalcomponent* observance = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT);
       observance != nullptr; observance = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(observance);
    if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT) continue;
    icalproperty* start = icalcomponent_get_first_property(observance, ICAL_DTSTART_PROPERTY);
    if (start == nullptr) return false;
    const icaltimetype begins = icalproperty_get_dtstart(start);
    if (begins.year < 1583 || begins.year > 9999) return false;
    int rdates = 0;
    for (icalproperty* p = icalcomponent_get_first_property(observance, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(observance, ICAL_ANY_PROPERTY)) {
      const icalproperty_kind property = icalproperty_isa(p);
      if (property == ICAL_RDATE_PROPERTY && ++rdates > 1000) return false;
      if (property != ICAL_RRULE_PROPERTY) continue;
      const icalrecurrencetype rule = icalproperty_get_rrule(p);
      if (rule.freq != ICAL_YEARLY_RECURRENCE && rule.freq != ICAL_MONTHLY_RECURRENCE) return false;
      if (rule.interval < 1) return false;
    }
  }
  return true;
}

std::optional<std::string> x_lic_location(icalcomponent* vtimezone) {
  for (icalproperty* p = icalcomponent_get_first_property(vtimezone, ICAL_X_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(vtimezone, ICAL_X_PROPERTY)) {
    const char* name = icalproperty_get_x_name(p);
    const char* value = icalproperty_get_x(p);
    if (name != nullptr && value != nullptr && std::string_view(name) == "X-LIC-LOCATION") {
      return trimmed(value);
    }
  }
  return std::nullopt;
}

icalcomponent* vtimezone_named(icalcomponent* calendar, const std::string& tzid) {
  if (calendar == nullptr) return nullptr;
  for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT); c != nullptr;
       c = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)) {
    icalproperty* id = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
    const char* text = id ? icalproperty_get_tzid(id) : nullptr;
    if (text != nullptr && trimmed(text) == tzid) return c;
  }
  return nullptr;
}

}  // namespace

const date::time_zone* find_iana_zone(std::string_view name) {
  if (!plausible_iana(name)) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // date reports an unknown name by throwing
  }
}

std::optional<IcsZone> IcsZones::resolve(icalcomponent* calendar, std::string_view tzid) {
  auto key = std::make_pair(calendar, std::string(tzid));
  if (auto found = cache_.find(key); found != cache_.end()) return found->second;
  std::optional<IcsZone> zone = resolve_uncached(calendar, trimmed(tzid));
  cache_.emplace(std::move(key), zone);
  return zone;
}

std::optional<IcsZone> IcsZones::resolve_uncached(icalcomponent* calendar, const std::string& tzid) {
  if (is_utc_name(tzid)) return IcsZone{.utc = true};
  if (find_iana_zone(tzid) != nullptr) return iana_zone(tzid);
  if (auto tail = prefixed_iana(tzid)) return iana_zone(*tail);
  if (auto mapped = iana_for_windows_zone(tzid, regions_)) {
    if (find_iana_zone(*mapped) != nullptr) return iana_zone(*mapped);
  }
  icalcomponent* vtimezone = vtimezone_named(calendar, tzid);
  if (vtimezone == nullptr) return std::nullopt;
  if (auto location = x_lic_location(vtimezone); location && find_iana_zone(*location) != nullptr) {
    return iana_zone(*location);
  }
  if (!expandable(vtimezone)) return std::nullopt;
  icaltimezone* defined = icalcomponent_get_timezone(calendar, tzid.c_str());
  if (defined == nullptr) return std::nullopt;
  return IcsZone{.defined = defined};
}

}  // namespace kutsu::importer::detail
