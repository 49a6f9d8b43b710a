#include "notifier/webhook_transport.h"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>
#include <utility>

#include "notifier/detail/curl_easy.h"
#include "notifier/retry_after.h"

namespace kutsu::notifier {
namespace {

// The id goes into a header: printable ASCII only, so it cannot end the
// header early and add others.
bool is_safe_header_value(std::string_view value) {
  return !value.empty() &&
         std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string_view trim_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

struct WebhookTransport::Slot {
  detail::EasyHandle easy;
  detail::Slist headers;
  std::string body;  // CURLOPT_POSTFIELDS points here, so it lives as long as the request
  DeliveryCallback done;
  std::string status_line;  // "HTTP/1.1 500 Internal Server Error"
  std::array<char, CURL_ERROR_SIZE> error{};

  // CURLOPT_HEADERFUNCTION: remembers the last status line (after any 1xx).
  static size_t header(char* data, size_t size, size_t count, void* self) {
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) static_cast<Slot*>(self)->status_line = trim_line_end(line);
    return size * count;
  }
  // CURLOPT_WRITEFUNCTION: the response body is not needed.
  static size_t discard(char*, size_t size, size_t count, void*) { return size * count; }
};

Result<std::unique_ptr<WebhookTransport>> WebhookTransport::create(boost::asio::io_context& io,
                                                                   WebhookSettings settings,
                                                                   WallClock now) {
  if (settings.max_connections < 1) return Error{"max_connections must be at least 1"};
  if (settings.timeout <= std::chrono::milliseconds::zero()) {
    return Error{"timeout must be positive"};
  }
  std::map<std::string, Endpoint, std::less<>> endpoints;
  for (const WebhookEndpoint& endpoint : settings.endpoints) {
    std::string where = "webhook \"" + endpoint.name + "\": ";
    auto url = boost::urls::parse_absolute_uri(endpoint.url);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
      return Error{where + "url must be an http:// or https:// URL"};
    }
    Result<WebhookSigner> signer = WebhookSigner::from_secret(endpoint.secret);
    if (!signer) return Error{where + signer.error().message};
    if (!endpoints.emplace(endpoint.name, Endpoint{endpoint.url, std::move(*signer)}).second) {
      return Error{where + "a webhook with this name is already configured"};
    }
  }
  std::unique_ptr<WebhookTransport> transport;
  try {
    transport.reset(new WebhookTransport(io, std::move(settings), std::move(now)));
  } catch (const std::exception& e) {
    return Error{e.what()};
  }
  transport->endpoints_ = std::move(endpoints);
  if (Status ready = transport->init_slots(); !ready) return ready.error();
  return transport;
}

WebhookTransport::WebhookTransport(boost::asio::io_context& io, WebhookSettings settings,
                                   WallClock now)
    : io_(io),
      settings_(std::move(settings)),
      now_(std::move(now)),
      multi_(io, CurlMulti::Limits{settings_.max_connections}) {}

WebhookTransport::~WebhookTransport() = default;

Status WebhookTransport::init_slots() {
  long timeout_ms = static_cast<long>(settings_.timeout.count());
  for (long i = 0; i < settings_.max_connections; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->easy.reset(curl_easy_init());
    if (!slot->easy) return Error{"curl_easy_init failed"};
    detail::EasyOptions options(slot->easy.get());
    options.set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        .set(CURLOPT_POST, 1L, "POST")
        .set(CURLOPT_HEADERFUNCTION, &Slot::header, "HEADERFUNCTION")
        .set(CURLOPT_HEADERDATA, slot.get(), "HEADERDATA")
        .set(CURLOPT_WRITEFUNCTION, &Slot::discard, "WRITEFUNCTION")
        .set(CURLOPT_ERRORBUFFER, slot->error.data(), "ERRORBUFFER")
        .set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL")
        .set(CURLOPT_TIMEOUT_MS, timeout_ms, "TIMEOUT_MS")
        .set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms, "CONNECTTIMEOUT_MS")
        .set(CURLOPT_USERAGENT, "kutsu", "USERAGENT");
    if (!settings_.ca_file.empty())
      options.set(CURLOPT_CAINFO, settings_.ca_file.c_str(), "CAINFO");
    if (Status set = options.status(); !set) return set;
    idle_.push_back(slot.get());
    slots_.push_back(std::move(slot));
  }
  return {};
}

void WebhookTransport::send(WebhookCall call, DeliveryCallback done) {
  std::optional<std::string> refused;
  if (!endpoints_.contains(call.endpoint)) {
    refused = "no webhook named \"" + call.endpoint + "\" is configured";
  } else if (!is_safe_header_value(call.notification_id)) {
    refused = "the notification id cannot be sent as a webhook-id header";
  }
  if (refused) {
    boost::asio::post(io_, [done = std::move(done), why = std::move(*refused)] {
      done(AttemptResult::permanent(why));
    });
    return;
  }
  queue_.push_back({std::move(call), std::move(done)});
  start_waiting();
}

void WebhookTransport::start_waiting() {
  while (!idle_.empty() && !queue_.empty()) {
    Slot* slot = idle_.back();
    idle_.pop_back();
    Waiting next = std::move(queue_.front());
    queue_.pop_front();
    start(*slot, std::move(next.call), std::move(next.done));
  }
}

void WebhookTransport::start(Slot& slot, WebhookCall call, DeliveryCallback done) {
  const Endpoint& endpoint = endpoints_.find(call.endpoint)->second;
  slot.done = std::move(done);
  slot.body = std::move(call.body);
  slot.status_line.clear();
  slot.error[0] = '\0';
  slot.headers.reset();
  Status ready;
  try {
    date::sys_seconds timestamp = now_();
    std::string signature = endpoint.signer.sign(call.notification_id, timestamp, slot.body);
    std::string seconds = std::to_string(timestamp.time_since_epoch().count());
    for (const std::string& header :
         {std::string("Content-Type: application/json"), "webhook-id: " + call.notification_id,
          "webhook-timestamp: " + seconds, "webhook-signature: " + signature,
          std::string("Expect:")}) {
      if (!detail::append(slot.headers, header)) throw std::bad_alloc();
    }
  } catch (const std::exception& e) {
    ready = Error{std::string("cannot prepare the request: ") + e.what()};
  }
  if (ready) {
    detail::EasyOptions options(slot.easy.get());
    options.set(CURLOPT_URL, endpoint.url.c_str(), "URL")
        .set(CURLOPT_HTTPHEADER, slot.headers.get(), "HTTPHEADER")
        .set(CURLOPT_POSTFIELDS, slot.body.data(), "POSTFIELDS")
        .set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(slot.body.size()),
             "POSTFIELDSIZE_LARGE");
    ready = options.status();
  }
  if (ready)
    ready =
        multi_.perform(slot.easy.get(), [this, &slot](CURLcode result) { on_done(slot, result); });
  if (!ready) {
    boost::asio::post(io_, [done = std::move(slot.done), why = ready.error().message] {
      done(AttemptResult::retry(why));
    });
    slot.done = nullptr;
    idle_.push_back(&slot);
  }
}

namespace {

std::optional<std::chrono::seconds> retry_after_of(CURL* easy, date::sys_seconds now) {
  curl_header* header = nullptr;
  if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK) {
    return std::nullopt;  // CURLHE_MISSING and friends: the server gave none
  }
  return parse_retry_after(header->value, now);
}

}  // namespace

void WebhookTransport::on_done(Slot& slot, CURLcode result) {
  long status = 0;
  if (result == CURLE_OK &&
      curl_easy_getinfo(slot.easy.get(), CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) {
    status = 0;
  }
  AttemptResult outcome;
  // 0: curl could not tell the status (an error before any response).
  const std::optional<int> code =
      status != 0 ? std::optional<int>(static_cast<int>(status)) : std::nullopt;
  std::string line = slot.status_line.empty() ? "HTTP " + std::to_string(status) : slot.status_line;
  if (result != CURLE_OK) {
    std::string text = slot.error[0] != '\0' ? slot.error.data() : curl_easy_strerror(result);
    bool hopeless = result == CURLE_URL_MALFORMAT || result == CURLE_UNSUPPORTED_PROTOCOL;
    outcome = hopeless ? AttemptResult::permanent(text) : AttemptResult::retry(text);
  } else if (status >= 200 && status < 300) {
    outcome = AttemptResult::sent(code, line);
  } else if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
    outcome = AttemptResult::retry(code, line, retry_after_of(slot.easy.get(), now_()));
  } else {
    outcome = AttemptResult::permanent(code, line);
  }
  DeliveryCallback done = std::move(slot.done);
  slot.done = nullptr;
  slot.body.clear();
  idle_.push_back(&slot);
  start_waiting();
  done(std::move(outcome));
}

}  // namespace kutsu::notifier
