// What `kutsu status` asks and of whom: the daemon's admin API found from
// the command line's --url/--token-file and the daemon's own config, and the
// five questions whose answers format_status_summary() sums up
// (status_summary.h).
//
// resolve_status_target: --url and --token-file win; --config fills in what
// they leave out — its [http] listen address (for a free port, "…:0", the
// address the daemon left in its state_dir, admin_address_file.h) and its
// [http] token_file; with neither, http://127.0.0.1:8470 and no token. An
// Error is one sentence for a person (the config's problems one per line).
//
// ask_status: the admin API's status, series, the next 10 pending sends and
// up to 20 failed and 20 missed notifications, asked in that order through
// `get` (AdminClient::get in the command); the first failure stops it.
// Blocking, like the client it asks through.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "base/result.h"
#include "config/secret.h"
#include "console/status_summary.h"

namespace kutsu::console {

struct StatusRequest {
  std::string url;         // --url, or empty
  std::string token_file;  // --token-file, or empty
  std::string config;      // --config, or empty
};

struct StatusTarget {
  std::string url;
  std::optional<config::Secret> token;
};

Result<StatusTarget> resolve_status_target(const StatusRequest& request);

// GET of a path and query ("/api/v1/status"), the body parsed as JSON.
using AdminGet = std::function<Result<boost::json::value>(std::string_view path_and_query)>;

// `url` is where `get` asks (shown in the summary).
Result<StatusAnswers> ask_status(std::string url, const AdminGet& get);

}  // namespace kutsu::console
