// The load ahead of a series, per local day: how many notifications are
// still to send (pending, or retrying) on each of the next days, the days
// being those of the series' own zone, as its organiser reads them.
//
// The outbox counts its rows in quarter-hour slices (AsyncOutbox::
// async_pending_by_slice: one grouped query, so a million rows never come into
// memory) and this file maps each slice to the local day it lies in. A
// quarter hour, not an hour, because every UTC offset in use since 1972 is
// a multiple of 15 minutes while some are not whole hours (India's +05:30,
// Nepal's +05:45): an hour slice could straddle their local midnight.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "base/result.h"
#include "store/outbox.h"

namespace kutsu::admin {

inline constexpr std::chrono::seconds kLoadSlice = std::chrono::minutes(15);
inline constexpr int kLoadDays = 28;

struct DayLoad {
  date::year_month_day day;  // a local date in the series' zone
  std::int64_t count = 0;

  friend bool operator==(const DayLoad&, const DayLoad&) = default;
};

// Where the window of `days` local days starting on the local date of `now`
// in `zone` ends, as an instant: the first moment of the day after it (a
// midnight that falls into a DST gap is the gap's end).
store::Instant load_window_end(const date::time_zone& zone, store::Instant now, int days);

// The `days` local days from the local date of `now` in `zone`, each with
// the rows of the slices (as pending_by_slice returned them; a slice lies
// within one local day, named by its start) that lie in it; every day is present, with 0 when
// nothing is due. Slices before the first day (rows overdue, sent at once) count for the first day;
// slices at or after the window's end are left out.
std::vector<DayLoad> daily_load(std::span<const store::DueSlice> slices,
                                const date::time_zone& zone, store::Instant now, int days);

}  // namespace kutsu::admin
