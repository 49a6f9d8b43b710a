// The series files named on a command line, loaded and planned: what
// `kutsu check`, `plan` and `preview` share, through the same
// load_series_files() the daemon loads with (series_load.h).
//
// Every file is read and planned even when an earlier one is bad, so one run
// shows every problem. Each problem is printed to the given stream as
// `FILE:LINE:COLUMN: error: MESSAGE` (parser problems first, then what the
// scheduler found), in the order of the files. Two files with the same
// series id are an error too: their notification ids would collide.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "service/series_load.h"

namespace kutsu::service {

struct PlannedFiles {
  std::vector<std::shared_ptr<LoadedSeries>> valid;  // in command-line order
  bool all_valid = true;
};

// `webhooks`: the endpoint names of a daemon config to check the files'
// `webhooks` against; none: not checked.
PlannedFiles load_and_plan(const std::vector<std::string>& files, std::ostream& errors,
                           const agenda::SeriesOptions& options = agenda::SeriesOptions::from_clock(),
                           const WebhookNames& webhooks = std::nullopt);

}  // namespace kutsu::service
