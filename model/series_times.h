// SeriesTimes: every moment a series file wrote, as instants.
//
// convert_times() reads each WrittenTime of a Series in the series zone with
// the rules of time_rules.h (session start, end and doors_open, agenda items,
// the invitation) and reports every reading that does not name exactly one
// instant as a Diagnostic at the place it was written. It never stops at the
// first problem: a bad reading is still given an instant (resolved like a
// computed one) so that later checks can go on, but a SeriesTimes that came
// with diagnostics describes an invalid file and must not be acted on.
//
// SeriesTimes is a plain value; it does not point into the Series.
#pragma once

#include <optional>
#include <vector>

#include <date/date.h>

#include "agenda/series.h"
#include "base/diagnostic.h"

namespace kutsu::model {

struct SessionTimes {
  date::sys_seconds start;
  date::sys_seconds end;
  std::optional<date::sys_seconds> doors_open;
};

// The moments a notification is about: its session, or for an invitation the
// whole series (first start to last end).
struct TimeSpan {
  date::sys_seconds start;
  date::sys_seconds end;
};

struct SeriesTimes {
  std::vector<SessionTimes> sessions;  // parallel to Series::sessions
  // When the invitation is due: `send_at`, or the first session's start
  // minus `before`. nullopt when the series has no [invitation].
  std::optional<date::sys_seconds> invitation_due;
  // From the earliest session start to the latest session end, cancelled
  // sessions included (so that cancelling one does not move the invitation).
  TimeSpan series_span;
  std::size_t first_session = 0;  // index of the session that starts first
};

struct TimesConversion {
  SeriesTimes times;
  Diagnostics diagnostics;  // in file order of the sessions
  // Parallel to Series::sessions: false where the start was in a gap or fold,
  // so that checks relative to it would only repeat that problem.
  std::vector<bool> start_exact;
  bool invitation_exact = true;  // false: send_at was in a gap or fold
};

// Precondition: series.zone is set and series.sessions is not empty (both
// guaranteed by the parser).
TimesConversion convert_times(const agenda::Series& series);

}  // namespace kutsu::model
