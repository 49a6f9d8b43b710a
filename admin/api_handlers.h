// AdminApi: the JSON routes under /api/v1 (admin-api.md fixes each shape).
// Each method answers one route whose path and method the router has
// already matched and whose bearer token it has checked; what is left here
// is the route's own 400 (parameters) and 404 (an unknown id), and the
// store's answer when it refuses or fails, by its ErrorCode (status_of:
// 400, 404, 409; 500 or 503 when it failed, which is logged as a warning).
// The state rules (which notifications can be retried) are the store's.
//
// Every route answers through `respond`, later, once the outbox answered
// (store::AsyncOutbox: on PostgreSQL a query never holds up the loop);
// a route whose answer needs no outbox call may answer at once. An
// exception while building a later answer becomes a 500, as the router
// does for the ones it answers at once.
//
// Status and counts come through OutboxFiguresCache (cheap enough to poll);
// retry and reload drop that cache so their effect shows at once. The
// status route also lists the nodes sharing the outbox (name, heartbeat,
// series versions) and names those whose versions differ from this one's.
//
// Runs on the event loop's thread, like DaemonView; `daemon` and `figures`
// must outlive the AdminApi. Owned by someone else (the router): answers
// arriving after it was destroyed are dropped (`life_`).
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/url/params_view.hpp>

#include "admin/daemon_view.h"
#include "admin/http_response.h"
#include "admin/outbox_figures.h"

namespace kutsu::admin {

class AdminApi {
 public:
  using Respond = std::function<void(HttpResponse)>;

  AdminApi(DaemonView& daemon, OutboxFiguresCache& figures) : daemon_(daemon), figures_(figures) {}

  void status(Respond respond);                                        // GET /api/v1/status
  void series_list(Respond respond);                                   // GET /api/v1/series
  void series(std::string_view id, Respond respond);                   // GET /api/v1/series/{id}
  void notifications(boost::urls::params_view params, Respond respond);  // GET /api/v1/notifications
  void notification(std::string_view id, Respond respond);  // GET /api/v1/notifications/{id}
  void retry(std::string_view id, Respond respond);  // POST /api/v1/notifications/{id}/retry
  void opt_outs(boost::urls::params_view params, Respond respond);  // GET /api/v1/opt-outs[?series=]
  // POST /api/v1/reload: answers once the load is in force.
  void reload(Respond respond);

  // The status figures, from the cache or the outbox (then kept); `done`
  // may run at once (cached) or later. For /metrics too.
  void with_status_figures(std::function<void(Result<StatusFigures>)> done);
  void with_kind_counts(std::function<void(Result<std::vector<store::KindStateCounts>>)> done);

 private:
  // Wraps `handler` so that it runs only while *this lives.
  template <typename Handler>
  auto guarded(Handler handler);

  // The zone of a loaded series, for *_local fields; null when not loaded.
  const date::time_zone* zone_of(std::string_view series_id) const;
  boost::json::object store_health_json() const;
  void answer_status(const StatusFigures& figures, std::vector<store::NodeStatus> nodes,
                     const Respond& respond);
  void count_series(std::vector<std::string> ids, std::size_t next,
                    std::shared_ptr<std::map<std::string, store::StateCounts>> counts,
                    Respond respond);
  void answer_series_list(const std::map<std::string, store::StateCounts>& counts,
                          const Respond& respond);

  DaemonView& daemon_;
  OutboxFiguresCache& figures_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

// {"error": message} with status_of(error.code) for an Error from the store
// (or from the daemon, passing on the store's). A failure (500; 503 when the
// outbox is unavailable: a full disk, an I/O error) is logged as a warning
// naming `what`; a refusal (4xx) is the client's business and is not.
HttpResponse store_failure(std::string_view what, const Error& error);

// Runs `body`, which answers through `respond`; an exception out of it is
// logged and answered 500 (for answers built later, outside the router's
// own try).
void answer_guarded(const std::function<void(HttpResponse)>& respond, std::string_view what,
                    const std::function<void()>& body);

template <typename Handler>
auto AdminApi::guarded(Handler handler) {
  return [life = std::weak_ptr<int>(life_), handler = std::move(handler)](auto&&... args) mutable {
    if (life.expired()) return;
    handler(std::forward<decltype(args)>(args)...);
  };
}

}  // namespace kutsu::admin
