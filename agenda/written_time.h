// WrittenTime: a moment exactly as the series file wrote it.
//
// The agenda layer does not convert times: a local date-time is kept as a
// wall-clock reading to be read in the series zone, and only the scheduler
// turns it into an instant (where gaps and folds are decided, in one place).
// A time written with an offset (`2022-02-02T18:00:00+02:00`) is already an
// instant; its offset is kept so that conversion cannot be ambiguous.
#pragma once

#include <chrono>
#include <optional>

#include <date/date.h>

#include "base/diagnostic.h"

namespace kutsu::agenda {

struct WrittenTime {
  date::local_seconds local;                     // the wall-clock reading as written
  std::optional<std::chrono::seconds> utc_offset;  // set iff written with an offset
  SourcePos pos;                                 // where the value stands in the file

  // Only for offset times: the instant they name.
  date::sys_seconds instant_from_offset() const {
    return date::sys_seconds{local.time_since_epoch() - *utc_offset};
  }
};

}  // namespace kutsu::agenda
