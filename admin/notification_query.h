// The query string of GET /api/v1/notifications → a store::NotificationQuery.
//
// Known parameters: series, session, state (a state name), limit (1…1000,
// default 100), after (the cursor from a previous page's "next" in the same
// order; the store checks it) and order: "due" (the default: soonest first,
// by due and id) or "newest" (the reverse: what was due last comes first, as
// a "recently sent" list wants). Anything else — an unknown or repeated parameter, a bad value —
// is refused with a message that names the parameter, for a 400.
#pragma once

#include <boost/url/params_view.hpp>

#include "base/result.h"
#include "store/rows.h"

namespace kutsu::admin {

inline constexpr std::size_t kMaxPageLimit = 1000;

Result<store::NotificationQuery> parse_notification_query(boost::urls::params_view params);

}  // namespace kutsu::admin
