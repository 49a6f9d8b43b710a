// OptOutRoute: GET and POST /u/{value}, the one route a participant
// reaches without a token. The value is checked against the daemon's key
// (model/opt_out_link.h) before anything else: an altered or made-up value
// gets 404 and the page saying so, and touches nothing.
//
// GET shows the page with its two buttons; it never changes anything (mail
// scanners follow links). POST records the opt-out: `scope=all` stops every
// e-mail from the series; any other body — RFC 8058's
// `List-Unsubscribe=One-Click` from a mail provider included — stops the
// reminders. Answers 200 with the page saying what was done, 503 while the
// outbox cannot write.
//
// Rate-limited as a whole (a token bucket: a burst of 60, then 10 a second)
// rather than per client: behind the reverse proxy every participant is one
// client. Over the limit: 429 with Retry-After. Event loop thread only.
// POST answers through `respond`, later once the outbox recorded it; owned
// by someone else (the router), so an answer arriving after it was
// destroyed is dropped (`life_`).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "admin/daemon_view.h"
#include "admin/http_response.h"

namespace kutsu::admin {

class OptOutRoute {
 public:
  explicit OptOutRoute(DaemonView& daemon) : daemon_(daemon) {}

  HttpResponse get(std::string_view value);
  void post(std::string_view value, std::string_view body,
            const std::function<void(HttpResponse)>& respond);

 private:
  // Takes one request's token; false when the bucket is empty.
  bool admit();

  DaemonView& daemon_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
  double tokens_ = kBurst;
  std::chrono::steady_clock::time_point filled_at_ = std::chrono::steady_clock::now();
  static constexpr double kBurst = 60;
  static constexpr double kPerSecond = 10;
};

}  // namespace kutsu::admin
