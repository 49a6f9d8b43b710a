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

void answer_guarded(const std::function<void(HttpResponse)>& respond, std::string_view what,
                    const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& error) {
    spdlog::warn("admin API: {} failed: {}", what, error.what());
    respond(error_response(status::internal_server_error, "internal error"));
  }
}

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

void AdminApi::with_status_figures(std::function<void(Result<StatusFigures>)> done) {
  figures_.status(std::move(done), [this](std::function<void(Result<StatusFigures>)> read) {
    read_status_figures(daemon_.async_outbox(), guarded(std::move(read)));
  });
}

void AdminApi::with_kind_counts(
    std::function<void(Result<std::vector<store::KindStateCounts>>)> done) {
  figures_.kinds(std::move(done),
                 [this](std::function<void(Result<std::vector<store::KindStateCounts>>)> read) {
                   daemon_.async_outbox().async_kind_state_counts(guarded(std::move(read)));
                 });
}

void AdminApi::status(Respond respond) {
  with_status_figures(guarded([this, respond](Result<StatusFigures> figures) {
    if (!figures) return respond(store_failure("status", figures.error()));
    daemon_.async_outbox().async_nodes(guarded(
        [this, respond, figures = *figures](Result<std::vector<store::NodeStatus>> nodes) {
          answer_guarded(respond, "status", [&] {
            if (!nodes) return respond(store_failure("status", nodes.error()));
            answer_status(figures, std::move(*nodes), respond);
          });
        }));
  }));
}

// The nodes sharing the outbox; a node whose series versions are not this
// node's sends (or would send) from other files than this one: the
// operator has a deployment to finish.
void AdminApi::answer_status(const StatusFigures& figures, std::vector<store::NodeStatus> nodes,
                             const Respond& respond) {
  json::value next_due = nullptr;
  if (figures.next_pending) {
    next_due = notification_json(*figures.next_pending, zone_of(figures.next_pending->series_id));
  }
  const std::string self = daemon_.node_name();
  const store::NodeStatus* mine = nullptr;
  for (const store::NodeStatus& node : nodes) {
    if (node.name == self) mine = &node;
  }
  json::array listed;
  json::array differing;
  for (const store::NodeStatus& node : nodes) {
    json::object versions;
    for (const auto& [series_id, hash] : node.versions) versions[series_id] = hash;
    const bool differs = mine != nullptr && node.versions != mine->versions;
    if (differs) differing.emplace_back(node.name);
    listed.emplace_back(json::object{{"name", node.name},
                                     {"this_node", node.name == self},
                                     {"heartbeat_at", model::format_utc(node.heartbeat_at)},
                                     {"started_at", model::format_utc(node.started_at)},
                                     {"series_versions", std::move(versions)},
                                     {"versions_differ", differs}});
  }
  respond(json_response(status::ok, json::object{
                                        {"version", KUTSU_VERSION},
                                        {"started_at", model::format_utc(daemon_.started_at())},
                                        {"now", model::format_utc(daemon_.now())},
                                        {"series_count", daemon_.series().size()},
                                        {"counts", counts_json(figures.counts)},
                                        {"next_due", std::move(next_due)},
                                        {"last_reload", reload_report_json(daemon_.last_reload())},
                                        {"store", store_health_json()},
                                        {"node", self},
                                        {"nodes", std::move(listed)},
                                        {"nodes_with_other_versions", std::move(differing)},
                                    }));
}

// What /healthz says, with the series whose plans wait for the outbox.
json::object AdminApi::store_health_json() const {
  const DaemonView::StoreState state = daemon_.store_state();
  json::array waiting;
  for (const std::string& id : daemon_.series_waiting_for_store()) waiting.emplace_back(id);
  json::value problem = nullptr;
  if (state.problem) problem = json::string(*state.problem);
  return json::object{{"ok", !state.problem},
                      {"problem", std::move(problem)},
                      {"errors", state.failures},
                      {"series_waiting", std::move(waiting)}};
}

// Who opted out of what, every series or one; an unknown series has none.
void AdminApi::opt_outs(boost::urls::params_view params, Respond respond) {
  std::optional<std::string> series;
  for (auto param : params) {
    if (param.key != "series") {
      return respond(error_response(status::bad_request, "unknown parameter '" + param.key + "'"));
    }
    series = param.value;
  }
  daemon_.async_outbox().async_opt_outs(
      series, guarded([respond](Result<std::vector<store::OptOut>> found) {
        answer_guarded(respond, "listing opt-outs", [&] {
          if (!found) return respond(store_failure("listing opt-outs", found.error()));
          json::array rows;
          for (const store::OptOut& opt_out : *found) rows.emplace_back(opt_out_json(opt_out));
          respond(json_response(status::ok, json::object{{"opt_outs", std::move(rows)}}));
        });
      }));
}

void AdminApi::notifications(boost::urls::params_view params, Respond respond) {
  Result<store::NotificationQuery> query = parse_notification_query(params);
  if (!query) return respond(error_response(status::bad_request, query.error().message));
  const bool has_cursor = query->after.has_value();
  daemon_.async_outbox().async_list(
      *query, guarded([this, respond, has_cursor](Result<store::NotificationPage> page) {
        answer_guarded(respond, "listing notifications", [&] {
          if (!page) {
            // The cursor is opaque to us: only the store can tell a bad one.
            // The limit was checked above, so what the store finds invalid
            // is the cursor.
            if (has_cursor && page.error().code == ErrorCode::invalid) {
              return respond(
                  error_response(status::bad_request, "parameter 'after' is not a cursor from 'next'"));
            }
            return respond(store_failure("listing notifications", page.error()));
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
          respond(json_response(
              status::ok, json::object{{"notifications", std::move(rows)},
                                       {"next", page->next_cursor ? json::value(*page->next_cursor)
                                                                  : json::value(nullptr)}}));
        });
      }));
}

void AdminApi::notification(std::string_view id, Respond respond) {
  daemon_.async_outbox().async_find(
      std::string(id), guarded([this, respond, id = std::string(id)](
                                   Result<std::optional<store::NotificationDetail>> found) {
        answer_guarded(respond, "finding a notification", [&] {
          if (!found) return respond(store_failure("finding a notification", found.error()));
          if (!*found) return respond(error_response(status::not_found, "no notification " + id));
          const store::NotificationDetail& detail = **found;
          json::object object = notification_json(detail.row, zone_of(detail.row.series_id));
          json::array history;
          for (const store::Attempt& attempt : detail.attempts) {
            history.emplace_back(attempt_json(attempt));
          }
          object["history"] = std::move(history);
          respond(json_response(status::ok, object));
        });
      }));
}

void AdminApi::retry(std::string_view id, Respond respond) {
  // The store knows which states can be retried and says not_found or
  // conflict (naming the state) otherwise: no need to look first.
  daemon_.retry(std::string(id), guarded([this, respond, id = std::string(id)](Status retried) {
    if (!retried) return respond(store_failure("retry", retried.error()));
    figures_.invalidate();
    daemon_.async_outbox().async_find(
        id, guarded([this, respond, id](Result<std::optional<store::NotificationDetail>> found) {
          answer_guarded(respond, "retry", [&] {
            if (!found) return respond(store_failure("finding a notification", found.error()));
            if (!*found) return respond(error_response(status::not_found, "no notification " + id));
            respond(json_response(status::ok, notification_json((*found)->row,
                                                                zone_of((*found)->row.series_id))));
          });
        }));
  }));
}

void AdminApi::reload(Respond respond) {
  daemon_.reload(guarded([this, respond = std::move(respond)](const model::LoadReport& report,
                                                              model::ReloadQueued queued) {
    figures_.invalidate();
    json::object answer = reload_report_json(report);
    // Two reloads never overlap: say whether this one waited for another,
    // or was served by a reload another request had already asked for.
    answer["queued"] = queued == model::ReloadQueued::started   ? "started"
                       : queued == model::ReloadQueued::waiting ? "waited"
                                                                : "merged";
    // A broken file is part of a successful answer; only an unreadable folder is a failure.
    respond(json_response(report.error ? status::internal_server_error : status::ok,
                          std::move(answer)));
  }));
}

}  // namespace kutsu::admin
