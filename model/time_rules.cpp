#include "model/time_rules.h"

#include <string>

#include "model/time_format.h"

namespace kutsu::model {
namespace {

using std::chrono::seconds;

seconds time_of_day(date::local_seconds reading) {
  return reading - date::floor<date::days>(reading);
}

// "03:30+03:00 (00:30Z)": a reading at an offset, with its UTC time.
std::string reading_with_offset(date::local_seconds reading, seconds offset) {
  date::sys_seconds instant{reading.time_since_epoch() - offset};
  return format_clock(time_of_day(reading)) + format_offset(offset) + " (" +
         format_clock(instant - date::floor<date::days>(instant)) + "Z)";
}

}  // namespace

Result<date::sys_seconds> written_instant(const agenda::WrittenTime& time,
                                          const date::time_zone& zone) {
  if (time.utc_offset) return time.instant_from_offset();

  date::local_info info = zone.get_info(time.local);
  switch (info.result) {
    case date::local_info::unique:
      return date::sys_seconds{time.local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent: {
      // info.first is in force before the gap, info.second after it; both
      // meet at the transition instant.
      date::sys_seconds transition = info.first.end;
      return Error{format_local(time.local) + " does not exist in " + zone.name() +
                   ": clocks go from " +
                   format_clock(time_of_day(
                       date::local_seconds{transition.time_since_epoch() + info.first.offset})) +
                   " to " +
                   format_clock(time_of_day(
                       date::local_seconds{transition.time_since_epoch() + info.second.offset})) +
                   " (" + format_offset(info.first.offset) + " → " +
                   format_offset(info.second.offset) + ")"};
    }
    case date::local_info::ambiguous:
      return Error{format_local(time.local) + " is ambiguous in " + zone.name() + ": it is both " +
                   reading_with_offset(time.local, info.first.offset) + " and " +
                   reading_with_offset(time.local, info.second.offset) +
                   "; write it with an offset"};
  }
  return Error{"unexpected answer from the time-zone database for " + format_local(time.local)};
}

date::sys_seconds resolve_computed(date::local_seconds reading, const date::time_zone& zone) {
  // date's choose::earliest gives the earlier instant of a fold and, for a
  // reading in a gap, the transition instant (it does so for either choice).
  return zone.to_sys(reading, date::choose::earliest);
}

date::local_seconds local_reading(date::sys_seconds instant, const date::time_zone& zone) {
  return zone.to_local(instant);
}

date::sys_seconds offset_before(date::sys_seconds anchor, const agenda::Duration& before,
                                std::optional<seconds> at, const date::time_zone& zone) {
  date::sys_seconds moment = anchor;
  if (before.calendar_days() > 0) {
    moment =
        resolve_computed(local_reading(anchor, zone) - date::days{before.calendar_days()}, zone);
  }
  moment -= before.exact();
  if (at) {
    date::local_days day = date::floor<date::days>(local_reading(moment, zone));
    moment = resolve_computed(day + *at, zone);
  }
  return moment;
}

}  // namespace kutsu::model
