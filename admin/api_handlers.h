// AdminApi: the JSON routes under /api/v1 (admin-api.md fixes each shape).
// Each method answers one route whose path and method the router has
// already matched and whose bearer token it has checked; what is left here
// is the route's own 400 (parameters) and 404 (an unknown id), and the
// store's answer when it refuses or fails, by its ErrorCode (status_of:
// 400, 404, 409; 500 or 503 when it failed, which is logged as a warning).
// The state rules (which notifications can be retried) are the store's.
//
// Status and counts come through OutboxFiguresCache (cheap enough to poll);
// retry and reload drop that cache so their effect shows at once.
//
// Runs on the event loop's thread, like DaemonView; `daemon` and `figures`
// must outlive the AdminApi.
#pragma once

#include <functional>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/url/params_view.hpp>

#include "admin/daemon_view.h"
#include "admin/http_response.h"
#include "admin/outbox_figures.h"

namespace kutsu::admin {

class AdminApi {
 public:
  AdminApi(DaemonView& daemon, OutboxFiguresCache& figures) : daemon_(daemon), figures_(figures) {}

  HttpResponse status();                                        // GET /api/v1/status
  HttpResponse series_list();                                   // GET /api/v1/series
  HttpResponse series(std::string_view id);                     // GET /api/v1/series/{id}
  HttpResponse notifications(boost::urls::params_view params);  // GET /api/v1/notifications
  HttpResponse notification(std::string_view id);               // GET /api/v1/notifications/{id}
  HttpResponse retry(std::string_view id);  // POST /api/v1/notifications/{id}/retry
  HttpResponse opt_outs(boost::urls::params_view params);  // GET /api/v1/opt-outs[?series=]
  // POST /api/v1/reload: answers through `respond` once the load is in force.
  void reload(std::function<void(HttpResponse)> respond);

 private:
  // The zone of a loaded series, for *_local fields; null when not loaded.
  const date::time_zone* zone_of(std::string_view series_id) const;
  boost::json::object store_health_json() const;

  DaemonView& daemon_;
  OutboxFiguresCache& figures_;
};

// {"error": message} with status_of(error.code) for an Error from the store
// (or from the daemon, passing on the store's). A failure (500; 503 when the
// outbox is unavailable: a full disk, an I/O error) is logged as a warning
// naming `what`; a refusal (4xx) is the client's business and is not.
HttpResponse store_failure(std::string_view what, const Error& error);

}  // namespace kutsu::admin
