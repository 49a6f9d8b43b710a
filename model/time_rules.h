// Time rules: the one place where wall-clock readings in a series' zone
// become instants (agenda-format.md, "Durations" and "Validation").
//
// Two kinds of reading are treated differently on purpose:
//  - What an organiser WROTE (a session start, `send_at`) must name exactly
//    one instant. A reading inside a spring-forward gap or a fall-back fold
//    is an error for the organiser to fix; the message names the gap, or both
//    instants of the fold. A time written with an offset is its instant.
//  - What Kutsu COMPUTES (a reminder `before` an 18:00 start, `at` 02:30 on
//    some day) is never an error, because the organiser never wrote it. It
//    is resolved deterministically: a reading in a gap becomes the instant of
//    the transition (the clocks show the end of the gap: 03:30 in Helsinki's
//    03:00→04:00 gap fires at 04:00+03:00; date::choose::latest behaviour),
//    a reading in a fold becomes the earlier of its two instants (03:30 in
//    the 03:00–04:00 fold fires at 03:30+03:00, the first time the clocks
//    show it; date::choose::earliest).
//
// All functions are pure and thread-safe; zones come from date's tz database
// and live for the whole program.
#pragma once

#include <chrono>
#include <optional>

#include <date/date.h>
#include <date/tz.h>

#include "agenda/duration.h"
#include "agenda/written_time.h"
#include "base/result.h"

namespace kutsu::model {

// The instant a WrittenTime names in `zone`. Fails for a reading in a gap
// ("2022-03-27T03:30:00 does not exist in Europe/Helsinki: clocks go from
// 03:00 to 04:00 (+02:00 → +03:00)") or a fold ("… is ambiguous in …: it is
// both 03:30+03:00 (00:30Z) and 03:30+02:00 (01:30Z); write it with an
// offset"). The message has no place: the caller knows `time.pos`.
Result<date::sys_seconds> written_instant(const agenda::WrittenTime& time,
                                          const date::time_zone& zone);

// A computed reading as an instant: gap → transition, fold → earlier.
date::sys_seconds resolve_computed(date::local_seconds reading, const date::time_zone& zone);

// The wall-clock reading of `instant` in `zone`.
date::local_seconds local_reading(date::sys_seconds instant, const date::time_zone& zone);

// When something `before` a moment fires, for a moment at `anchor`:
//  1. the calendar part moves the wall-clock date back N days, keeping the
//     wall-clock time (P1D before 18:00 is 18:00 the day before, across DST);
//  2. the exact part then subtracts elapsed time (PT24H before 18:00 on the
//     day after a spring-forward is 17:00 the day before);
//  3. `at`, if given (seconds since local midnight), replaces the time of day
//     on the local date where steps 1–2 landed.
// Readings that steps 1 or 3 produce are resolved with resolve_computed().
date::sys_seconds offset_before(date::sys_seconds anchor, const agenda::Duration& before,
                                std::optional<std::chrono::seconds> at,
                                const date::time_zone& zone);

}  // namespace kutsu::model
