// The status, notification and reload routes of AdminApi (the series routes
// are in api_series.cpp).
#include "admin/api_handlers.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "admin/api_json.h"
#include "admin/notification_query.h"
#include "model/time_format.h"

namespace kutsu::admin {

namespace json = boost::json;

HttpResponse store_failure(std::string_view what, const Error& error) {
  const status code = status_of(error.code);
  if (boost::beast::http::to_status_class(code) == boost::beast::http::status_class::server_error) {
    spdlog::warn("admin API: {}: {}", what, error.message);
  }
  return error_response(code, error.message);
}

const date::time_zone* AdminApi::zone_of(std::string_view series_id) const {
  std::optional<SeriesView> view = daemon_.series(series_id);
  return view && view->series ? view->series->zone : nullptr;
}

HttpResponse AdminApi::status() {
  Result<StatusFigures> figures = figures_.status_figures(daemon_.outbox());
  if (!figures) return store_failure("status", figures.error());
  json::value next_due = nullptr;
  if (figures->next_pending) {
    next_due = notification_json(*figures->next_pending, zone_of(figures->next_pending->series_id));
  }
  return json_response(status::ok, json::object{
                                       {"version", KUTSU_VERSION},
                                       {"started_at", model::format_utc(daemon_.started_at())},
                                       {"now", model::format_utc(daemon_.now())},
                                       {"series_count", daemon_.series().size()},
                                       {"counts", counts_json(figures->counts)},
                                       {"next_due", std::move(next_due)},
                                       {"last_reload", reload_report_json(daemon_.last_reload())},
                                       {"store", store_health_json()},
                                   });
}

// What /healthz says, with the series whose plans wait for the outbox.
json::object AdminApi::store_health_json() const {
  const store::StoreHealth& health = daemon_.outbox().health();
  json::array waiting;
  for (const std::string& id : daemon_.series_waiting_for_store()) waiting.emplace_back(id);
  json::value problem = nullptr;
  const std::optional<std::string> text = health.problem();
  if (text) problem = json::string(*text);
  return json::object{{"ok", !text},
                      {"problem", std::move(problem)},
                      {"errors", health.failures()},
                      {"series_waiting", std::move(waiting)}};
}

// Who opted out of what, every series or one; an unknown series has none.
HttpResponse AdminApi::opt_outs(boost::urls::params_view params) {
  std::optional<std::string> series;
  for (auto param : params) {
    if (param.key != "series") {
      return error_response(status::bad_request, "unknown parameter '" + param.key + "'");
    }
    series = param.value;
  }
  Result<std::vector<store::OptOut>> found = daemon_.outbox().opt_outs(series);
  if (!found) return store_failure("listing opt-outs", found.error());
  json::array rows;
  for (const store::OptOut& opt_out : *found) rows.emplace_back(opt_out_json(opt_out));
  return json_response(status::ok, json::object{{"opt_outs", std::move(rows)}});
}

HttpResponse AdminApi::notifications(boost::urls::params_view params) {
  Result<store::NotificationQuery> query = parse_notification_query(params);
  if (!query) return error_response(status::bad_request, query.error().message);
  Result<store::NotificationPage> page = daemon_.outbox().list(*query);
  if (!page) {
    // The cursor is opaque to us: only the store can tell a bad one. The
    // limit was checked above, so what the store finds invalid is the cursor.
    if (query->after && page.error().code == ErrorCode::invalid) {
      return error_response(status::bad_request, "parameter 'after' is not a cursor from 'next'");
    }
    return store_failure("listing notifications", page.error());
  }
  // Rows of one page mostly share a series: look each zone up once.
  std::map<std::string, const date::time_zone*, std::less<>> zones;
  json::array rows;
  rows.reserve(page->rows.size());
  for (const store::NotificationRow& row : page->rows) {
    auto zone = zones.find(row.series_id);
    if (zone == zones.end()) zone = zones.emplace(row.series_id, zone_of(row.series_id)).first;
    rows.emplace_back(notification_json(row, zone->second));
  }
  return json_response(status::ok,
                       json::object{{"notifications", std::move(rows)},
                                    {"next", page->next_cursor ? json::value(*page->next_cursor)
                                                               : json::value(nullptr)}});
}

HttpResponse AdminApi::notification(std::string_view id) {
  Result<std::optional<store::NotificationDetail>> found = daemon_.outbox().find(id);
  if (!found) return store_failure("finding a notification", found.error());
  if (!*found) return error_response(status::not_found, "no notification " + std::string(id));
  const store::NotificationDetail& detail = **found;
  json::object object = notification_json(detail.row, zone_of(detail.row.series_id));
  json::array history;
  for (const store::Attempt& attempt : detail.attempts) history.emplace_back(attempt_json(attempt));
  object["history"] = std::move(history);
  return json_response(status::ok, object);
}

HttpResponse AdminApi::retry(std::string_view id) {
  // The store knows which states can be retried and says not_found or
  // conflict (naming the state) otherwise: no need to look first.
  if (Status retried = daemon_.retry(id); !retried) return store_failure("retry", retried.error());
  figures_.invalidate();
  Result<std::optional<store::NotificationDetail>> found = daemon_.outbox().find(id);
  if (!found) return store_failure("finding a notification", found.error());
  if (!*found) return error_response(status::not_found, "no notification " + std::string(id));
  return json_response(status::ok,
                       notification_json((*found)->row, zone_of((*found)->row.series_id)));
}

void AdminApi::reload(std::function<void(HttpResponse)> respond) {
  daemon_.reload([this, respond = std::move(respond)](const ReloadReport& report,
                                                      DaemonView::ReloadQueued queued) {
    figures_.invalidate();
    json::object answer = reload_report_json(report);
    // Two reloads never overlap: say whether this one waited for another,
    // or was served by a reload another request had already asked for.
    answer["queued"] = queued == DaemonView::ReloadQueued::started   ? "started"
                       : queued == DaemonView::ReloadQueued::waiting ? "waited"
                                                                     : "merged";
    // A broken file is part of a successful answer; only an unreadable folder is a failure.
    respond(json_response(report.error ? status::internal_server_error : status::ok,
                          std::move(answer)));
  });
}

}  // namespace kutsu::admin
