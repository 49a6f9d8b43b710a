#include "agenda/detail/ics_dates.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include <libical/ical.h>

namespace kutsu::agenda::detail {
namespace {

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};

date::local_days day_of(const icaltimetype& time) {
  return date::local_days{date::year{time.year} / static_cast<unsigned>(time.month) /
                          static_cast<unsigned>(time.day)};
}

std::optional<date::local_days> local_date(const icaltimetype& start, const date::time_zone& zone) {
  if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) return std::nullopt;
  if (start.is_date || (start.zone == nullptr && !icaltime_is_utc(start))) return day_of(start);
  const icaltimezone* from =
      icaltime_is_utc(start) ? icaltimezone_get_utc_timezone() : start.zone;
  const date::sys_seconds instant{std::chrono::seconds{
      icaltime_as_timet_with_zone(start, const_cast<icaltimezone*>(from))}};
  return date::floor<date::days>(zone.to_local(instant));
}

}  // namespace

Result<std::vector<date::local_days>> ics_dates(std::string_view text, const date::time_zone& zone) {
  const std::string copy(text);
  std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(copy.c_str()));
  if (!root) return Error{"it is not an iCalendar file (no BEGIN:VCALENDAR could be read)"};
  std::vector<date::local_days> dates;
  auto take = [&](icalcomponent* event) {
    if (icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED) return;
    if (std::optional<date::local_days> day = local_date(icalcomponent_get_dtstart(event), zone)) {
      dates.push_back(*day);
    }
  };
  if (icalcomponent_isa(root.get()) == ICAL_VEVENT_COMPONENT) {
    take(root.get());
  } else {
    for (icalcomponent* event = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
         event != nullptr;
         event = icalcomponent_get_next_component(root.get(), ICAL_VEVENT_COMPONENT)) {
      take(event);
    }
  }
  if (dates.empty()) return Error{"it holds no event (VEVENT) with a start date"};
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

}  // namespace kutsu::agenda::detail
