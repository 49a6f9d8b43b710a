#include "notifier/smtp_transport.h"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>
#include <cstring>
#include <utility>
#include <vector>

#include "notifier/detail/curl_easy.h"
#include "notifier/detail/loopback.h"

namespace kutsu::notifier {
namespace {

// RFC 5321 addresses carry no spaces, angle brackets or control characters;
// refusing them here is what keeps an agenda field from adding SMTP commands.
bool is_safe_envelope_address(std::string_view address) {
  if (address.empty() || address.find('@') == std::string_view::npos) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f || c == '<' || c == '>';
  });
}

long whole_seconds_at_least_one(std::chrono::milliseconds duration) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(duration).count();
  return std::max<long>(1, static_cast<long>(seconds));
}

// Every line in `data` without line ends.
template <typename Each>
void for_each_line(std::string_view data, Each each) {
  while (!data.empty()) {
    std::size_t end = data.find('\n');
    std::string_view line = data.substr(0, end);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) each(line);
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
}

// The reply the response code came from: after a refused RCPT curl still
// sends QUIT, so the last line heard ("221 Bye") is not the one to show.
std::string reply_with_code(const std::vector<std::string>& replies, long code) {
  std::string prefix = std::to_string(code);
  for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
    if (it->starts_with(prefix) && (it->size() == 3 || (*it)[3] == ' ' || (*it)[3] == '-')) {
      return *it;
    }
  }
  return replies.empty() ? std::string() : replies.back();
}

}  // namespace

struct SmtpTransport::Slot {
  detail::EasyHandle easy;
  detail::Slist recipients;
  EmailMessage message;
  std::size_t uploaded = 0;  // bytes of message.bytes handed to curl so far
  DeliveryCallback done;
  std::vector<std::string> replies;  // the server's reply lines in this transfer
  std::array<char, CURL_ERROR_SIZE> error{};

  // CURLOPT_READFUNCTION: the message bytes, as fast as curl takes them.
  static size_t read(char* buffer, size_t size, size_t count, void* self) {
    auto* slot = static_cast<Slot*>(self);
    std::size_t n = std::min(size * count, slot->message.bytes.size() - slot->uploaded);
    std::memcpy(buffer, slot->message.bytes.data() + slot->uploaded, n);
    slot->uploaded += n;
    return n;
  }

  // CURLOPT_HEADERFUNCTION: for SMTP, curl hands over each reply line the
  // server sends (never the commands we send, so never the AUTH secret).
  static size_t header(char* data, size_t size, size_t count, void* self) {
    auto* slot = static_cast<Slot*>(self);
    for_each_line(std::string_view(data, size * count),
                  [slot](std::string_view line) { slot->replies.emplace_back(line); });
    return size * count;
  }
};

Result<StartTls> parse_starttls(std::string_view text) {
  if (text == "required") return StartTls::required;
  if (text == "opportunistic") return StartTls::opportunistic;
  if (text == "off") return StartTls::off;
  return Error{"starttls must be \"required\", \"opportunistic\" or \"off\", not \"" +
               std::string(text) + "\""};
}

Status validate(const SmtpSettings& settings) {
  auto url = boost::urls::parse_absolute_uri(settings.url);
  if (!url) return Error{"url \"" + settings.url + "\" is not an absolute URL"};
  if (url->scheme() != "smtp" && url->scheme() != "smtps") {
    return Error{"url \"" + settings.url + "\" must start with smtp:// or smtps://"};
  }
  if (url->host().empty()) return Error{"url \"" + settings.url + "\" has no host"};
  if (settings.starttls == StartTls::off && url->scheme() == "smtp" &&
      !detail::is_loopback_host(*url)) {
    return Error{"starttls = \"off\" is allowed only for a loopback server, not " +
                 std::string(url->host())};
  }
  if (settings.max_connections < 1) return Error{"max_connections must be at least 1"};
  if (settings.timeout <= std::chrono::milliseconds::zero()) {
    return Error{"timeout must be positive"};
  }
  return {};
}

Result<std::unique_ptr<SmtpTransport>> SmtpTransport::create(boost::asio::io_context& io,
                                                             SmtpSettings settings) {
  if (Status valid = validate(settings); !valid) return valid.error();
  std::unique_ptr<SmtpTransport> transport;
  try {
    transport.reset(new SmtpTransport(io, std::move(settings)));
  } catch (const std::exception& e) {
    return Error{e.what()};
  }
  if (Status ready = transport->init_slots(); !ready) return ready.error();
  return transport;
}

SmtpTransport::SmtpTransport(boost::asio::io_context& io, SmtpSettings settings)
    : io_(io),
      settings_(std::move(settings)),
      multi_(io, CurlMulti::Limits{settings_.max_connections}) {}

SmtpTransport::~SmtpTransport() = default;

Status SmtpTransport::init_slots() {
  bool implicit_tls = settings_.url.starts_with("smtps:");
  curl_usessl use_ssl = implicit_tls                                    ? CURLUSESSL_ALL
                        : settings_.starttls == StartTls::required      ? CURLUSESSL_ALL
                        : settings_.starttls == StartTls::opportunistic ? CURLUSESSL_TRY
                                                                        : CURLUSESSL_NONE;
  long timeout_ms = static_cast<long>(settings_.timeout.count());
  long timeout_s = whole_seconds_at_least_one(settings_.timeout);
  for (long i = 0; i < settings_.max_connections; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->easy.reset(curl_easy_init());
    if (!slot->easy) return Error{"curl_easy_init failed"};
    detail::EasyOptions options(slot->easy.get());
    options.set(CURLOPT_URL, settings_.url.c_str(), "URL")
        .set(CURLOPT_PROTOCOLS_STR, "smtp,smtps", "PROTOCOLS_STR")
        .set(CURLOPT_USE_SSL, static_cast<long>(use_ssl), "USE_SSL")
        .set(CURLOPT_UPLOAD, 1L, "UPLOAD")
        .set(CURLOPT_READFUNCTION, &Slot::read, "READFUNCTION")
        .set(CURLOPT_READDATA, slot.get(), "READDATA")
        .set(CURLOPT_HEADERFUNCTION, &Slot::header, "HEADERFUNCTION")
        .set(CURLOPT_HEADERDATA, slot.get(), "HEADERDATA")
        .set(CURLOPT_ERRORBUFFER, slot->error.data(), "ERRORBUFFER")
        .set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL")
        .set(CURLOPT_TIMEOUT_MS, timeout_ms, "TIMEOUT_MS")
        .set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms, "CONNECTTIMEOUT_MS")
        .set(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s, "SERVER_RESPONSE_TIMEOUT")
        .set(CURLOPT_LOW_SPEED_LIMIT, 1L, "LOW_SPEED_LIMIT")
        .set(CURLOPT_LOW_SPEED_TIME, timeout_s, "LOW_SPEED_TIME");
    if (!settings_.username.empty()) {
      options.set(CURLOPT_USERNAME, settings_.username.c_str(), "USERNAME")
          .set(CURLOPT_PASSWORD, settings_.password.c_str(), "PASSWORD");
    }
    if (!settings_.ca_file.empty())
      options.set(CURLOPT_CAINFO, settings_.ca_file.c_str(), "CAINFO");
    if (Status set = options.status(); !set) return set;
    idle_.push_back(slot.get());
    slots_.push_back(std::move(slot));
  }
  return {};
}

void SmtpTransport::send(EmailMessage message, DeliveryCallback done) {
  if (!is_safe_envelope_address(message.envelope_from) ||
      !is_safe_envelope_address(message.envelope_to)) {
    boost::asio::post(io_, [done = std::move(done)] {
      done(DeliveryResult::permanent(0, "invalid envelope address"));
    });
    return;
  }
  queue_.push_back({std::move(message), std::move(done)});
  start_waiting();
}

void SmtpTransport::start_waiting() {
  while (!idle_.empty() && !queue_.empty()) {
    Slot* slot = idle_.back();
    idle_.pop_back();
    Waiting next = std::move(queue_.front());
    queue_.pop_front();
    start(*slot, std::move(next.message), std::move(next.done));
  }
}

void SmtpTransport::start(Slot& slot, EmailMessage message, DeliveryCallback done) {
  slot.message = std::move(message);
  slot.done = std::move(done);
  slot.uploaded = 0;
  slot.replies.clear();
  slot.error[0] = '\0';
  slot.recipients.reset();
  Status ready = detail::append(slot.recipients, slot.message.envelope_to)
                     ? Status{}
                     : Status{Error{"out of memory for the recipient list"}};
  if (ready) {
    detail::EasyOptions options(slot.easy.get());
    options.set(CURLOPT_MAIL_FROM, slot.message.envelope_from.c_str(), "MAIL_FROM")
        .set(CURLOPT_MAIL_RCPT, slot.recipients.get(), "MAIL_RCPT")
        .set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(slot.message.bytes.size()),
             "INFILESIZE_LARGE");
    ready = options.status();
  }
  if (ready)
    ready =
        multi_.perform(slot.easy.get(), [this, &slot](CURLcode result) { on_done(slot, result); });
  if (!ready) {
    // Could not even start (out of memory): give the slot back and report
    // a retry from the loop, never from inside send().
    boost::asio::post(io_, [done = std::move(slot.done), why = ready.error().message] {
      done(DeliveryResult::retry(0, why));
    });
    slot.done = nullptr;
    idle_.push_back(&slot);
  }
}

namespace {

DeliveryResult classify(CURLcode result, long code, const std::string& reply,
                        const char* error_text, std::chrono::milliseconds timeout) {
  std::string curl_text = *error_text != '\0' ? error_text : curl_easy_strerror(result);
  if (result == CURLE_OK) {
    return DeliveryResult::sent(static_cast<int>(code), reply.empty() ? "accepted" : reply);
  }
  if (code >= 500 && code < 600) return DeliveryResult::permanent(static_cast<int>(code), reply);
  if (code >= 400 && code < 500) return DeliveryResult::retry(static_cast<int>(code), reply);
  switch (result) {
    case CURLE_USE_SSL_FAILED:
      return DeliveryResult::permanent(
          0, "the server does not offer STARTTLS and starttls = \"required\"");
    case CURLE_LOGIN_DENIED:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return DeliveryResult::permanent(0, curl_text);
    case CURLE_OPERATION_TIMEDOUT:
      return DeliveryResult::retry(
          0, "no answer within " + std::to_string(timeout.count()) + " ms: " + curl_text);
    default:
      return DeliveryResult::retry(0, curl_text);
  }
}

}  // namespace

void SmtpTransport::on_done(Slot& slot, CURLcode result) {
  long code = 0;
  // A code only counts when this transfer heard a reply: a reused handle may
  // still hold the previous message's.
  if (slot.replies.empty() ||
      curl_easy_getinfo(slot.easy.get(), CURLINFO_RESPONSE_CODE, &code) != CURLE_OK) {
    code = 0;
  }
  DeliveryResult outcome = classify(result, code, reply_with_code(slot.replies, code),
                                    slot.error.data(), settings_.timeout);
  DeliveryCallback done = std::move(slot.done);
  slot.done = nullptr;
  slot.message = {};
  // Hand the connection to the next waiting message before telling the
  // caller, so the queue keeps moving whatever the callback does.
  idle_.push_back(&slot);
  start_waiting();
  done(std::move(outcome));
}

}  // namespace kutsu::notifier
