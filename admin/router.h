// Router: one HTTP request → its response, as a pure function of the request
// and the daemon's state (testable without a socket; the session does the
// I/O). It checks, in the order admin-api.md fixes: an unknown path → 404;
// a known path with another method → 405 with Allow; an /api path without
// the right bearer token → 401 with WWW-Authenticate; then the route itself
// (parameters → 400, unknown ids → 404, …).
//
// Routes: GET / (status page), /healthz, /metrics, /series/{id}.ics, the
// public calendar /calendar and /calendar.ics (no token: public series
// only, without join links), GET and POST /u/{value} (opt-out, no token:
// opt_out_route.h) and the /api/v1 routes of AdminApi. Ids in
// paths are percent-decoded.
//
// Runs on the event loop's thread; `daemon` must outlive the Router. An
// exception out of a handler becomes a 500, never a crash.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "admin/api_handlers.h"
#include "admin/daemon_view.h"
#include "admin/http_response.h"
#include "admin/opt_out_route.h"
#include "admin/outbox_figures.h"

namespace kutsu::admin {

class Router {
 public:
  // `figures_ttl`: how long status and metrics may reuse outbox counts.
  Router(DaemonView& daemon, std::optional<std::string> token,
         std::chrono::milliseconds figures_ttl);

  // Answers through `respond`: at once for the routes that need no outbox
  // call (pages, /healthz, feeds, refusals), later for those that read the
  // outbox (store::AsyncOutbox) and for POST /api/v1/reload, which answers
  // once its load is in force. `respond` runs on the loop, exactly once
  // while the router lives.
  using Respond = std::function<void(HttpResponse)>;
  void handle(const HttpRequest& request, Respond respond);
  // The same, for a route that answers at once (tests); a 500 "no answer
  // yet" for one that answers later.
  HttpResponse handle(const HttpRequest& request);

 private:
  std::optional<HttpResponse> route(const HttpRequest& request, const Respond& respond);
  HttpResponse healthz();
  void metrics(const Respond& respond);
  HttpResponse feed(std::string_view series_id);
  HttpResponse public_feed();

  DaemonView& daemon_;
  std::optional<std::string> token_;
  OutboxFiguresCache figures_;
  AdminApi api_;
  OptOutRoute opt_out_;
};

}  // namespace kutsu::admin
