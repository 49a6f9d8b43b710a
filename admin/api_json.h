// The JSON shapes of the admin API (/tmp/briefs/admin-api.md is their
// specification; the status page and `kutsu status` read them): counts,
// notifications, attempts, session summaries and reload reports as
// Boost.JSON values. Instants are RFC 3339 UTC with "Z"; `*_local` fields
// are the same instant in the series zone with its offset.
//
// Times are written by model/time_format.h. Pure functions; the
// arguments need only outlive the call.
#pragma once

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "admin/daemon_view.h"
#include "agenda/series.h"
#include "model/load_report.h"
#include "model/series_times.h"
#include "store/rows.h"

namespace date {
class time_zone;
}

namespace kutsu::admin {

// Every state, zero included, in the order pending … superseded.
boost::json::object counts_json(const store::StateCounts& counts);

// A notification row; `zone` is its series' zone, or null when the series is
// not loaded (due_local is then null).
boost::json::object notification_json(const store::NotificationRow& row,
                                      const date::time_zone* zone);
boost::json::object attempt_json(const store::Attempt& attempt);
// {"series", "recipient", "scope": "reminders" | "all", "at"}.
boost::json::object opt_out_json(const store::OptOut& opt_out);

// {"id","title","start","end","start_local","end_local","cancelled"}.
boost::json::object session_summary_json(const agenda::Session& session,
                                         const model::SessionTimes& times,
                                         const date::time_zone& zone);

boost::json::object reload_report_json(const model::LoadReport& report);

}  // namespace kutsu::admin
