// The person-readable summary `kutsu status` prints, made from the admin
// API's answers (their shapes are admin-api.md's). Pure formatting: no
// network, no clock — "up 3 min" is the daemon's own now minus started_at.
//
// Times are shown as the series shows them, from the API's *_local fields
// ("Wed 2022-02-02 18:00 +02:00"); where the API has no local time (series
// not loaded) the UTC instant is shown with "UTC".
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "base/result.h"

namespace kutsu::console {

struct StatusAnswers {
  std::string url;             // where the daemon was asked
  boost::json::value status;   // GET /api/v1/status
  boost::json::value series;   // GET /api/v1/series
  boost::json::value pending;  // GET /api/v1/notifications?state=pending&limit=…
  boost::json::value failed;   // … state=failed
  boost::json::value missed;   // … state=missed
};

// The summary, ending in a newline; an error when an answer lacks a field
// the summary needs (a daemon of another version).
Result<std::string> format_status_summary(const StatusAnswers& answers);

}  // namespace kutsu::console
