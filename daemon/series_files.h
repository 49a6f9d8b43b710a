// The series files named on a command line, loaded and planned: what
// `kutsu check` and `kutsu plan` share.
//
// Every file is read and planned even when an earlier one is bad, so one run
// shows every problem. Each problem is printed to the given stream as
// `FILE:LINE:COLUMN: error: MESSAGE` (parser problems first, then what the
// scheduler found), in the order of the files. Two files with the same
// series id are an error too: their notification ids would collide.
//
// PlannedSeries keeps a Series and its Plan together at a fixed address,
// because the Plan's notifications point into the Series.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "agenda/series.h"
#include "scheduler/planner.h"

namespace kutsu::cli {

struct PlannedSeries {
  std::string file;  // as named on the command line
  agenda::Series series;
  scheduler::Plan plan;
};

struct PlannedFiles {
  std::vector<std::unique_ptr<PlannedSeries>> valid;  // in command-line order
  bool all_valid = true;
};

PlannedFiles load_and_plan(const std::vector<std::string>& files, std::ostream& errors);

}  // namespace kutsu::cli
