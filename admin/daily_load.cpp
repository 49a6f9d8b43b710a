#include "admin/daily_load.h"

#include <algorithm>

namespace kutsu::admin {

namespace {

date::local_days local_day(const date::time_zone& zone, store::Instant at) {
  return date::floor<date::days>(zone.to_local(at));
}

}  // namespace

store::Instant load_window_end(const date::time_zone& zone, store::Instant now, int days) {
  const date::local_days end = local_day(zone, now) + date::days(days);
  // choose::earliest: a midnight in a gap is where the gap ends (tz.h), and
  // a midnight in a fold its first occurrence, where the day begins.
  return date::floor<std::chrono::seconds>(zone.to_sys(end, date::choose::earliest));
}

std::vector<DayLoad> daily_load(std::span<const store::DueSlice> slices,
                                const date::time_zone& zone, store::Instant now, int days) {
  const date::local_days first = local_day(zone, now);
  std::vector<DayLoad> load;
  load.reserve(static_cast<std::size_t>(std::max(days, 0)));
  for (int i = 0; i < days; ++i)
    load.push_back(DayLoad{date::year_month_day{first + date::days(i)}, 0});
  for (const store::DueSlice& each : slices) {
    const auto index = (local_day(zone, each.start) - first).count();
    if (index >= days) continue;
    load[static_cast<std::size_t>(std::max<decltype(index)>(index, 0))].count += each.count;
  }
  return load;
}


}  // namespace kutsu::admin
