// Reading a series file: TOML text → Series, with every problem reported.
//
// The parser enforces everything the file alone can tell (keys, types, ids,
// durations, order of times, agenda items inside their session, the
// participants CSV). What needs the time-zone rules (a local time in a DST
// gap or fold, reminders falling after their session) is checked by the
// scheduler, and unknown webhook names by whoever holds the daemon config;
// both report against the SourcePos kept in the model.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "agenda/series.h"
#include "base/diagnostic.h"

namespace kutsu::agenda {

// What a load needs besides the file: how far recurring rules are expanded.
struct SeriesOptions {
  PlanUntil until;
  // Up to now + P400D by the system clock (the default `plan_horizon`).
  static SeriesOptions from_clock();
};

struct SeriesLoad {
  std::optional<Series> series;  // set iff diagnostics is empty
  Diagnostics diagnostics;       // every problem found, in file order
  // Set when `series` is not, the time zone is known and some session parsed
  // without a problem: the series with only those sessions (an [invitation]
  // with a problem left out), so that the time rules (a time in a DST gap or
  // fold) can be checked beside the parse errors and one run of `kutsu
  // check` shows every problem. Never planned or acted on.
  std::optional<Series> checkable;
};

// Reads `path` and the participants CSV it names (relative to the file).
// Never throws for bad input; I/O failures are diagnostics too.
SeriesLoad load_series(const std::filesystem::path& path,
                       const SeriesOptions& options = SeriesOptions::from_clock());

// Parses series text as if read from `path` (used in messages and to resolve
// the participants CSV). The CSV is read from disk unless `participants_csv`
// is given, in which case that text stands for it.
SeriesLoad parse_series(std::string_view toml_text, const std::filesystem::path& path,
                        std::optional<std::string_view> participants_csv = std::nullopt,
                        const SeriesOptions& options = SeriesOptions::from_clock());

}  // namespace kutsu::agenda
