#include "agenda/recurrence.h"

namespace kutsu::agenda {

date::local_days DayShift::apply(date::local_days day) const {
  const int sign = direction == Direction::before ? -1 : 1;
  if (!weekday) return day + date::days{sign * days};
  // The nearest such weekday strictly before (after) the date: a council
  // meeting on a Sunday has its "sunday before" a week earlier.
  date::local_days shifted = day + date::days{sign};
  while (date::weekday{shifted} != *weekday) shifted += date::days{sign};
  return shifted;
}

date::local_days PlanUntil::in_zone(const date::time_zone& zone) const {
  if (const auto* day = std::get_if<date::local_days>(&end)) return *day;
  return date::floor<date::days>(zone.to_local(std::get<date::sys_seconds>(end)));
}

std::string occurrence_id(const std::string& session_id, date::local_days planned) {
  return session_id + "-" + date::format("%Y%m%d", planned);
}

}  // namespace kutsu::agenda
