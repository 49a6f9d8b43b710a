#include "admin/opt_out_route.h"

#include <algorithm>
#include <optional>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse_query.hpp>
#include <spdlog/spdlog.h>

#include "admin/opt_out_page.h"
#include "base/ascii.h"

namespace kutsu::admin {
namespace {

namespace http = boost::beast::http;

HttpResponse page_response(status code, const OptOutPage& page) {
  HttpResponse response = text_response(code, "text/html; charset=utf-8", opt_out_page(page));
  // The page names an address: no referrer to any other site, and no caching.
  response.set("Referrer-Policy", "no-referrer");
  return response;
}

HttpResponse try_later(status code, agenda::Language language) {
  HttpResponse response = page_response(code, OptOutPage{language, OptOutPageState::unavailable});
  response.set(http::field::retry_after, code == status::too_many_requests ? "1" : "10");
  return response;
}

// The page for `subject`: in the participant's language, with the series'
// title, when the series is loaded; in English with its id otherwise.
OptOutPage page_for(const DaemonView& daemon, const model::OptOutSubject& subject,
                    OptOutPageState state) {
  OptOutPage page{agenda::Language::en, state, subject.series_id, subject.recipient};
  if (std::optional<SeriesView> view = daemon.series(subject.series_id); view && view->series) {
    const agenda::Series& series = *view->series;
    page.series_title = series.title;
    page.language = series.language;
    auto participant = std::find_if(
        series.participants.begin(), series.participants.end(),
        [&](const agenda::Participant& p) { return ascii_lowercase(p.email) == subject.recipient; });
    if (participant != series.participants.end() && participant->language) {
      page.language = *participant->language;
    }
  }
  return page;
}

// `scope=all` in a form body; anything else asks for the reminders.
store::OptOutScope scope_of(std::string_view body) {
  auto params = boost::urls::parse_query(body);
  if (!params) return store::OptOutScope::reminders;
  for (auto param : *params) {
    if (param.key == "scope" && param.value == "all") return store::OptOutScope::all;
  }
  return store::OptOutScope::reminders;
}

}  // namespace

bool OptOutRoute::admit() {
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> passed = now - filled_at_;
  tokens_ = std::min(kBurst, tokens_ + passed.count() * kPerSecond);
  filled_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

HttpResponse OptOutRoute::get(std::string_view value) {
  if (!admit()) return try_later(status::too_many_requests, agenda::Language::en);
  const model::OptOutLinks* links = daemon_.opt_out_links();
  if (links == nullptr) return try_later(status::service_unavailable, agenda::Language::en);
  std::optional<model::OptOutSubject> subject = links->read(value);
  if (!subject) return page_response(status::not_found, OptOutPage{});
  return page_response(status::ok, page_for(daemon_, *subject, OptOutPageState::asking));
}

void OptOutRoute::post(std::string_view value, std::string_view body,
                       const std::function<void(HttpResponse)>& respond) {
  if (!admit()) return respond(try_later(status::too_many_requests, agenda::Language::en));
  const model::OptOutLinks* links = daemon_.opt_out_links();
  if (links == nullptr) return respond(try_later(status::service_unavailable, agenda::Language::en));
  std::optional<model::OptOutSubject> subject = links->read(value);
  if (!subject) return respond(page_response(status::not_found, OptOutPage{}));
  const store::OptOutScope scope = scope_of(body);
  daemon_.opt_out(*subject, scope,
                  [this, life = std::weak_ptr<int>(life_), respond, subject = *subject,
                   scope](Result<std::size_t> stopped) {
                    if (life.expired()) return;
                    if (!stopped) {
                      spdlog::error("opt-out for series {} not recorded: {}", subject.series_id,
                                    stopped.error().message);
                      return respond(try_later(status::service_unavailable,
                                               page_for(daemon_, subject, {}).language));
                    }
                    respond(page_response(
                        status::ok, page_for(daemon_, subject,
                                             scope == store::OptOutScope::all
                                                 ? OptOutPageState::stopped_all
                                                 : OptOutPageState::stopped_reminders)));
                  });
}

}  // namespace kutsu::admin
