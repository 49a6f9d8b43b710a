#include "admin/router.h"

#include <exception>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>

#include "admin/bearer_token.h"
#include "admin/metrics.h"
#include "admin/public_calendar_page.h"
#include "admin/status_page.h"

namespace kutsu::admin {

namespace http = boost::beast::http;

namespace {

enum class Route {
  page,
  healthz,
  metrics,
  feed,
  public_calendar,
  public_feed,
  opt_out,
  opt_outs,
  status,
  series_list,
  series,
  notifications,
  notification,
  retry,
  reload
};

struct Match {
  Route route;
  http::verb method;  // the method the route answers
  bool needs_token;   // an /api route
  std::string id;     // the {id} of the path, when it has one
  std::optional<http::verb> also = std::nullopt;  // a second method (/u/: GET and POST)
};

constexpr std::string_view kFeedSuffix = ".ics";

// The route a (decoded) path names, whatever the method; none: 404.
std::optional<Match> match(const std::vector<std::string>& path) {
  const std::size_t n = path.size();
  auto is = [&](std::initializer_list<std::string_view> expected) {
    if (expected.size() != n) return false;
    std::size_t i = 0;
    for (std::string_view part : expected) {
      if (!part.empty() && path[i] != part) return false;  // "" stands for an id
      if (part.empty() && path[i].empty()) return false;
      ++i;
    }
    return true;
  };
  using enum Route;
  if (n == 0 || (n == 1 && path[0].empty())) return Match{page, http::verb::get, false, ""};
  if (is({"healthz"})) return Match{healthz, http::verb::get, false, ""};
  if (is({"metrics"})) return Match{metrics, http::verb::get, false, ""};
  if (is({"calendar"})) return Match{public_calendar, http::verb::get, false, ""};
  if (is({"calendar.ics"})) return Match{public_feed, http::verb::get, false, ""};
  if (is({"u", ""})) return Match{opt_out, http::verb::get, false, path[1], http::verb::post};
  if (is({"series", ""}) && path[1].size() > kFeedSuffix.size() && path[1].ends_with(kFeedSuffix)) {
    return Match{feed, http::verb::get, false,
                 path[1].substr(0, path[1].size() - kFeedSuffix.size())};
  }
  if (n < 2 || path[0] != "api" || path[1] != "v1") return std::nullopt;
  if (is({"api", "v1", "status"})) return Match{status, http::verb::get, true, ""};
  if (is({"api", "v1", "series"})) return Match{series_list, http::verb::get, true, ""};
  if (is({"api", "v1", "series", ""})) return Match{series, http::verb::get, true, path[3]};
  if (is({"api", "v1", "notifications"})) {
    return Match{notifications, http::verb::get, true, ""};
  }
  if (is({"api", "v1", "notifications", ""})) {
    return Match{notification, http::verb::get, true, path[3]};
  }
  if (is({"api", "v1", "notifications", "", "retry"})) {
    return Match{retry, http::verb::post, true, path[3]};
  }
  if (is({"api", "v1", "reload"})) return Match{reload, http::verb::post, true, ""};
  if (is({"api", "v1", "opt-outs"})) return Match{opt_outs, http::verb::get, true, ""};
  return std::nullopt;
}

HttpResponse method_not_allowed(const Match& match) {
  std::string allowed(http::to_string(match.method));
  if (match.also) allowed += ", " + std::string(http::to_string(*match.also));
  HttpResponse response =
      error_response(status::method_not_allowed, "method not allowed; use " + allowed);
  response.set(http::field::allow, allowed);
  return response;
}

HttpResponse unauthorized() {
  HttpResponse response = error_response(status::unauthorized, "missing or wrong bearer token");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

}  // namespace

Router::Router(DaemonView& daemon, std::optional<std::string> token,
               std::chrono::milliseconds figures_ttl)
    : daemon_(daemon),
      token_(std::move(token)),
      figures_(figures_ttl),
      api_(daemon, figures_),
      opt_out_(daemon) {}

void Router::handle(const HttpRequest& request, Respond respond) {
  try {
    std::optional<HttpResponse> response = route(request, respond);
    if (response) respond(std::move(*response));
  } catch (const std::exception& error) {
    spdlog::warn("admin API: {} {} failed: {}", std::string_view(request.method_string()),
                 std::string_view(request.target()), error.what());
    respond(error_response(status::internal_server_error, "internal error"));
  }
}

HttpResponse Router::handle(const HttpRequest& request) {
  std::optional<HttpResponse> answer;
  handle(request, [&answer](HttpResponse response) { answer = std::move(response); });
  if (!answer) return error_response(status::internal_server_error, "no answer yet");
  return std::move(*answer);
}

// The answer, or none when the route answers later through `respond`.
std::optional<HttpResponse> Router::route(const HttpRequest& request, const Respond& respond) {
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) return error_response(status::bad_request, "malformed request target");
  std::vector<std::string> path;
  for (std::string segment : target->segments()) path.push_back(std::move(segment));

  std::optional<Match> found = match(path);
  if (!found) return error_response(status::not_found, "no such resource");
  if (request.method() != found->method && request.method() != found->also) {
    return method_not_allowed(*found);
  }
  if (found->needs_token) {
    auto authorization = request.find(http::field::authorization);
    std::optional<std::string_view> given;
    if (authorization != request.end()) given = authorization->value();
    if (!bearer_token_matches(given, token_)) return unauthorized();
  }

  switch (found->route) {
    case Route::page:
      return text_response(status::ok, "text/html; charset=utf-8", std::string(status_page_html()));
    case Route::healthz:
      return healthz();
    case Route::metrics:
      metrics(respond);
      return std::nullopt;
    case Route::feed:
      return feed(found->id);
    case Route::public_calendar:
      return text_response(status::ok, "text/html; charset=utf-8",
                           public_calendar_page(daemon_.series(), daemon_.now()));
    case Route::public_feed:
      return public_feed();
    case Route::opt_out:
      if (request.method() != http::verb::post) return opt_out_.get(found->id);
      opt_out_.post(found->id, request.body(), respond);
      return std::nullopt;
    case Route::status:
      api_.status(respond);
      return std::nullopt;
    case Route::series_list:
      api_.series_list(respond);
      return std::nullopt;
    case Route::series:
      api_.series(found->id, respond);
      return std::nullopt;
    case Route::notifications:
      api_.notifications(target->params(), respond);
      return std::nullopt;
    case Route::notification:
      api_.notification(found->id, respond);
      return std::nullopt;
    case Route::retry:
      api_.retry(found->id, respond);
      return std::nullopt;
    case Route::opt_outs:
      api_.opt_outs(target->params(), respond);
      return std::nullopt;
    case Route::reload:
      api_.reload(respond);
      return std::nullopt;
  }
  return error_response(status::not_found, "no such resource");
}

// 503 while the outbox cannot serve (a full disk, PostgreSQL lost): nothing
// can be claimed or recorded, so monitoring must hear of it even when the
// process is alive and well. Answered from what the daemon knows, without
// asking the outbox: a monitor's probe must not wait behind a burst.
HttpResponse Router::healthz() {
  if (std::optional<std::string> problem = daemon_.store_state().problem) {
    return text_response(status::service_unavailable, "text/plain; charset=utf-8",
                         "outbox unavailable: " + *problem + "\n");
  }
  return text_response(status::ok, "text/plain; charset=utf-8", "ok\n");
}

void Router::metrics(const Respond& respond) {
  api_.with_status_figures([this, respond](Result<StatusFigures> figures) {
    if (!figures) return respond(store_failure("metrics", figures.error()));
    api_.with_kind_counts([this, respond, figures = *figures](
                              Result<std::vector<store::KindStateCounts>> kinds) {
      answer_guarded(respond, "metrics", [&] {
        if (!kinds) return respond(store_failure("metrics", kinds.error()));
        const DaemonView::StoreState store = daemon_.store_state();
        MetricsInput input;
        input.version = KUTSU_VERSION;
        input.kind_counts = &*kinds;
        input.pending = figures.counts[store::NotificationState::pending] +
                        figures.counts[store::NotificationState::retrying];
        input.next_due = figures.next_due;
        input.delivery = &daemon_.delivery_stats();
        input.reload_errors = daemon_.reload_errors();
        input.series_loaded = daemon_.series().size();
        input.started_at = daemon_.started_at();
        input.store_healthy = !store.problem;
        input.store_errors = store.failures;
        respond(text_response(status::ok, kMetricsContentType, render_metrics(input)));
      });
    });
  });
}

HttpResponse Router::feed(std::string_view series_id) {
  Result<std::optional<std::string>> feed = daemon_.series_feed(series_id);
  if (!feed) return store_failure("calendar feed", feed.error());
  if (!*feed) {
    return error_response(status::not_found, "no series " + std::string(series_id) + " is loaded");
  }
  return text_response(status::ok, "text/calendar; charset=utf-8", std::move(**feed));
}

// Every public series in one feed; 404 while none is public (a calendar
// needs an event, and an empty feed would look like a broken one).
HttpResponse Router::public_feed() {
  Result<std::optional<std::string>> feed = daemon_.public_feed();
  if (!feed) return store_failure("public calendar", feed.error());
  if (!*feed) return error_response(status::not_found, "no public series is loaded");
  return text_response(status::ok, "text/calendar; charset=utf-8", std::move(**feed));
}

}  // namespace kutsu::admin
