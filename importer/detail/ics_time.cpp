#include "importer/detail/ics_time.h"

#include "agenda/time_range.h"

namespace kutsu::importer::detail {
namespace {

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string written(const icaltimetype& t) {
  std::string text = std::to_string(t.year) + "-" + two(t.month) + "-" + two(t.day);
  if (!t.is_date) text += " " + two(t.hour) + ":" + two(t.minute);
  return text;
}

}  // namespace

Result<IcsTime> read_ics_time(const icaltimetype& value, const char* tzid, icalcomponent* calendar,
                              IcsZones& zones) {
  if (icaltime_is_null_time(value) || !icaltime_is_valid_time(value) || value.month < 1 || value.month > 12 ||
      value.day < 1 || value.day > 31 || value.hour < 0 || value.hour > 23 || value.minute < 0 ||
      value.minute > 59 || value.second < 0 || value.second > 60) {
    return Error{"is not a date or time that can be read"};
  }
  const date::year_month_day ymd{date::year{value.year}, date::month{static_cast<unsigned>(value.month)},
                                 date::day{static_cast<unsigned>(value.day)}};
  if (!ymd.ok()) return Error{"is not a date of the calendar (" + written(value) + ")"};
  IcsTime time;
  time.all_day = value.is_date != 0;
  // A leap second (:60) is read as the last second of its minute.
  time.reading = date::local_days{ymd} + std::chrono::hours{time.all_day ? 0 : value.hour} +
                 std::chrono::minutes{time.all_day ? 0 : value.minute} +
                 std::chrono::seconds{time.all_day ? 0 : std::min(value.second, 59)};
  if (!agenda::in_supported_years(time.reading)) {
    return Error{"is " + written(value) + ", " + agenda::outside_supported_years()};
  }
  if (time.all_day) return time;
  if (icaltime_is_utc(value)) {
    time.instant = date::sys_seconds{time.reading.time_since_epoch()};
    return time;
  }
  if (tzid == nullptr) return time;  // floating
  std::optional<IcsZone> zone = zones.resolve(calendar, tzid);
  if (!zone) {
    return Error{"names the time zone '" + std::string(tzid) +
                 "', which is neither an IANA zone (like Europe/Helsinki), a Windows zone (like FLE "
                 "Standard Time) nor defined in the file (VTIMEZONE)"};
  }
  if (zone->utc) {
    time.instant = date::sys_seconds{time.reading.time_since_epoch()};
  } else if (zone->tz != nullptr) {
    time.tz = zone->tz;
    time.iana = zone->iana;
    time.instant = zone->tz->to_sys(time.reading, date::choose::earliest);
  } else {
    icaltimetype local = value;
    local.zone = nullptr;
    time.instant = date::sys_seconds{std::chrono::seconds{icaltime_as_timet_with_zone(local, zone->defined)}};
  }
  return time;
}

date::local_seconds in_zone(const IcsTime& time, const date::time_zone& series) {
  if (!time.instant || time.tz == &series) return time.reading;
  return series.to_local(*time.instant);
}

date::local_days day_in_zone(const IcsTime& time, const date::time_zone& series) {
  return date::floor<date::days>(in_zone(time, series));
}

}  // namespace kutsu::importer::detail
