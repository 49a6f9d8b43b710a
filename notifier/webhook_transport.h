// WebhookTransport: POSTs WebhookCalls to the configured endpoints through
// libcurl inside the io_context (see CurlMulti), signed per the Standard
// Webhooks specification (webhook_signature.h).
//
// Each request carries Content-Type: application/json, webhook-id (the
// notification id, so it is the same on every retry), webhook-timestamp (unix
// seconds from the injected clock at send time) and webhook-signature.
// Connections are kept alive and reused; at most `max_connections` requests
// run at once, the rest wait in a FIFO queue so the timeout only starts when a
// request is sent. Each attempt ends in an AttemptResult:
//   sent       2xx
//   retry      408, 429, 5xx (with retry_after from Retry-After, seconds or
//              HTTP-date), connection errors, timeouts
//   permanent  any other status (other 4xx, 3xx: redirects are not followed),
//              an unknown endpoint name, an id that is not a safe header value
// `detail` is the status line or curl's error text; never the body or secret.
//
// Threading and lifetimes: as WebhookDelivery (delivery.h); the io_context
// must outlive the transport. `now` is called on the io_context thread.
#pragma once

#include <date/date.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "notifier/curl_multi.h"
#include "notifier/delivery.h"
#include "notifier/webhook_signature.h"

namespace kutsu::notifier {

struct WebhookEndpoint {
  std::string name;    // what WebhookCall::endpoint refers to
  std::string url;     // http:// or https://
  std::string secret;  // "whsec_…", already read from secret_file by the caller
};

struct WebhookSettings {
  std::vector<WebhookEndpoint> endpoints;
  std::chrono::milliseconds timeout{30'000};  // one attempt, connect to last byte
  long max_connections = 8;
  std::string ca_file;  // PEM file of CAs to trust instead of the system store; empty: system
};

// The wall clock the timestamps come from (injected so tests can fix it).
using WallClock = std::function<date::sys_seconds()>;

class WebhookTransport final : public WebhookDelivery {
 public:
  // Fails on a bad URL, a duplicate endpoint name or a secret that is not
  // "whsec_" + base64, naming the endpoint (never showing the secret).
  static Result<std::unique_ptr<WebhookTransport>> create(boost::asio::io_context& io,
                                                          WebhookSettings settings, WallClock now);
  ~WebhookTransport() override;

  void send(WebhookCall call, DeliveryCallback done) override;

 private:
  struct Endpoint {
    std::string url;
    WebhookSigner signer;
  };
  struct Slot;  // one easy handle and the request it is sending
  struct Waiting {
    WebhookCall call;
    DeliveryCallback done;
  };

  WebhookTransport(boost::asio::io_context& io, WebhookSettings settings, WallClock now);
  Status init_slots();
  void start_waiting();  // pairs idle slots with waiting calls
  void start(Slot& slot, WebhookCall call, DeliveryCallback done);
  void on_done(Slot& slot, CURLcode result);

  boost::asio::io_context& io_;
  WebhookSettings settings_;
  WallClock now_;
  std::map<std::string, Endpoint, std::less<>> endpoints_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> idle_;
  std::deque<Waiting> queue_;
  CurlMulti multi_;  // declared last: destroyed first, while the slots' handles still exist
};

}  // namespace kutsu::notifier
