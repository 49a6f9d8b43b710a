#include "notifier/smtp_connection.h"

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <utility>

#include "notifier/smtp_settings.h"

namespace kutsu::notifier {
namespace {

long whole_seconds_at_least_one(std::chrono::milliseconds duration) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(duration).count();
  return std::max<long>(1, static_cast<long>(seconds));
}

std::string no_answer(std::chrono::milliseconds timeout) {
  return "no answer within " + std::to_string(timeout.count()) + " ms";
}

// The reply line that carried `code`: after a refused AUTH curl still sends
// QUIT, so the last line heard ("221 Bye") is not the one to show.
std::string reply_with_code(const std::vector<std::string>& replies, long code) {
  const std::string prefix = std::to_string(code);
  for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
    if (it->starts_with(prefix) && (it->size() == 3 || (*it)[3] == ' ' || (*it)[3] == '-')) {
      return *it;
    }
  }
  return replies.empty() ? std::string() : replies.back();
}

// Why curl could not open the connection (connect, TLS, EHLO, AUTH).
AttemptResult opening_failed(CURLcode result, long code, const std::string& reply,
                             const char* error_text, std::chrono::milliseconds timeout) {
  const std::string curl_text = *error_text != '\0' ? error_text : curl_easy_strerror(result);
  if (code >= 500 && code < 600) return AttemptResult::permanent(static_cast<int>(code), reply);
  if (code >= 400 && code < 500) return AttemptResult::retry(static_cast<int>(code), reply);
  switch (result) {
    case CURLE_USE_SSL_FAILED:
      return AttemptResult::permanent(
          "the server does not offer STARTTLS and starttls = \"required\"");
    case CURLE_LOGIN_DENIED:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return AttemptResult::permanent(curl_text);
    case CURLE_OPERATION_TIMEDOUT:
      return AttemptResult::retry(no_answer(timeout) + ": " + curl_text);
    default:
      return AttemptResult::retry(curl_text);
  }
}

// A refusal in the dialogue: 4xx is worth another try, 5xx is not. Anything
// else where a 2xx or 3xx belonged makes no sense, and is a retry too.
AttemptResult refused(const detail::SmtpReply& reply) {
  if (reply.code >= 500 && reply.code < 600)
    return AttemptResult::permanent(reply.code, reply.line);
  return AttemptResult::retry(reply.code, reply.line);
}

bool positive(const detail::SmtpReply& reply) { return reply.code >= 200 && reply.code < 300; }

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

}  // namespace

Result<std::unique_ptr<SmtpConnection>> SmtpConnection::create(boost::asio::io_context& io,
                                                               const SmtpSettings& settings) {
  std::unique_ptr<SmtpConnection> connection;
  try {
    connection.reset(new SmtpConnection(io, settings));
  } catch (const std::exception& e) {
    return Error{e.what()};
  }
  if (Status ready = connection->init(); !ready) return ready.error();
  return connection;
}

SmtpConnection::SmtpConnection(boost::asio::io_context& io, const SmtpSettings& settings)
    : io_(io),
      settings_(settings),
      deadline_(io),
      life_(std::make_shared<int>(0)),
      multi_(io, CurlMulti::Limits{1}) {}

SmtpConnection::~SmtpConnection() {
  life_.reset();
  if (open_ && !done_) {
    // Between messages: say goodbye without waiting for the answer. If the
    // socket cannot take the few bytes now, the close below is goodbye enough.
    static constexpr std::string_view kQuit = "QUIT\r\n";
    std::size_t sent = 0;
    (void)curl_easy_send(easy_.get(), kQuit.data(), kQuit.size(), &sent);
  }
}

Status SmtpConnection::init() {
  easy_.reset(curl_easy_init());
  if (!easy_) return Error{"curl_easy_init failed"};
  const bool implicit_tls = settings_.url.starts_with("smtps:");
  const curl_usessl use_ssl = implicit_tls                                    ? CURLUSESSL_ALL
                              : settings_.starttls == StartTls::required      ? CURLUSESSL_ALL
                              : settings_.starttls == StartTls::opportunistic ? CURLUSESSL_TRY
                                                                              : CURLUSESSL_NONE;
  const long timeout_ms = static_cast<long>(settings_.timeout.count());
  const long timeout_s = whole_seconds_at_least_one(settings_.timeout);
  detail::EasyOptions options(easy_.get());
  options.set(CURLOPT_URL, settings_.url.c_str(), "URL")
      .set(CURLOPT_PROTOCOLS_STR, "smtp,smtps", "PROTOCOLS_STR")
      .set(CURLOPT_USE_SSL, static_cast<long>(use_ssl), "USE_SSL")
      .set(CURLOPT_HEADERFUNCTION, &SmtpConnection::on_header, "HEADERFUNCTION")
      .set(CURLOPT_HEADERDATA, this, "HEADERDATA")
      .set(CURLOPT_ERRORBUFFER, error_.data(), "ERRORBUFFER")
      .set(CURLOPT_NOSIGNAL, 1L, "NOSIGNAL")
      .set(CURLOPT_TIMEOUT_MS, timeout_ms, "TIMEOUT_MS")
      .set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms, "CONNECTTIMEOUT_MS")
      .set(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s, "SERVER_RESPONSE_TIMEOUT");
  if (!settings_.username.empty()) {
    options.set(CURLOPT_USERNAME, settings_.username.c_str(), "USERNAME")
        .set(CURLOPT_PASSWORD, settings_.password.c_str(), "PASSWORD");
  }
  if (!settings_.ca_file.empty()) options.set(CURLOPT_CAINFO, settings_.ca_file.c_str(), "CAINFO");
  return options.status();
}

size_t SmtpConnection::on_header(char* data, size_t size, size_t count, void* self) {
  auto* connection = static_cast<SmtpConnection*>(self);
  for_each_line(std::string_view(data, size * count), [connection](std::string_view line) {
    connection->greeting_.emplace_back(line);
    // The extensions are those of the last EHLO: a 220 (the greeting, or
    // the go-ahead for STARTTLS) comes before each.
    if (line.starts_with("220")) connection->pipelining_ = false;
    if (detail::offers_extension(line, "PIPELINING")) connection->pipelining_ = true;
  });
  return size * count;
}

void SmtpConnection::send(EmailMessage message, DeliveryCallback done) {
  ++attempt_;
  done_ = std::move(done);
  rejected_.reset();
  payload_ = detail::data_payload(message.bytes);
  unsent_.clear();
  awaited_.clear();
  unsent_.push_back({Step::mail, "MAIL FROM:<" + message.envelope_from + ">\r\n"});
  unsent_.push_back({Step::rcpt, "RCPT TO:<" + message.envelope_to + ">\r\n"});
  unsent_.push_back({Step::data, "DATA\r\n"});

  deadline_.expires_after(settings_.timeout);
  deadline_.async_wait([this, attempt = attempt_,
                        life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
    if (!life.expired()) on_deadline(attempt, ec);
  });
  // Never call back from inside send(): start on the next turn of the loop.
  boost::asio::post(io_, [this, attempt = attempt_, life = std::weak_ptr<int>(life_)] {
    if (life.expired() || attempt != attempt_ || !done_) return;
    if (open_ && !idle_connection_is_alive()) close();
    if (open_) {
      start_transaction();
    } else {
      open();
    }
  });
}

// The server may have said goodbye (421 on its idle timeout) or closed the
// connection while nothing was being sent: anything to read now means the
// connection is no good for a new transaction.
bool SmtpConnection::idle_connection_is_alive() {
  std::array<char, 512> buffer;
  std::size_t received = 0;
  return curl_easy_recv(easy_.get(), buffer.data(), buffer.size(), &received) == CURLE_AGAIN;
}

void SmtpConnection::open() {
  opening_ = true;
  greeting_.clear();
  pipelining_ = false;
  needs_reset_ = false;
  replies_ = {};
  error_[0] = '\0';
  Status started = multi_.connect(easy_.get(), [this](CURLcode result) { on_opened(result); });
  if (!started) {
    opening_ = false;
    finish(AttemptResult::retry(started.error().message));
  }
}

void SmtpConnection::on_opened(CURLcode result) {
  opening_ = false;
  if (result == CURLE_OK &&
      curl_easy_getinfo(easy_.get(), CURLINFO_ACTIVESOCKET, &socket_) == CURLE_OK &&
      socket_ != CURL_SOCKET_BAD) {
    open_ = true;
    start_transaction();
    return;
  }
  long code = 0;
  if (greeting_.empty() ||
      curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &code) != CURLE_OK) {
    code = 0;
  }
  const AttemptResult outcome =
      opening_failed(result == CURLE_OK ? CURLE_COULDNT_CONNECT : result, code,
                     reply_with_code(greeting_, code), error_.data(), settings_.timeout);
  close();
  finish(outcome);
}

// On an open connection: a rejected transaction before this one left state
// behind on the server, which RSET clears (a new connection has none).
void SmtpConnection::start_transaction() {
  if (needs_reset_) unsent_.push_front({Step::reset, "RSET\r\n"});
  send_next_commands();
}

// With PIPELINING every command of the transaction goes in one write (DATA
// is last, as RFC 2920 requires); without it, one command per reply.
void SmtpConnection::send_next_commands() {
  out_.clear();
  written_ = 0;
  while (!unsent_.empty()) {
    Command command = std::move(unsent_.front());
    unsent_.pop_front();
    out_ += command.text;
    awaited_.push_back(command.step);
    if (!pipelining_) break;
  }
  write();
}

void SmtpConnection::write() {
  while (written_ < out_.size()) {
    std::size_t sent = 0;
    const CURLcode rc =
        curl_easy_send(easy_.get(), out_.data() + written_, out_.size() - written_, &sent);
    if (rc == CURLE_AGAIN) {
      multi_.async_wait(socket_, /*for_write=*/true,
                        [this, attempt = attempt_](const boost::system::error_code& ec) {
                          if (attempt != attempt_ || !open_) return;
                          if (ec) return fail_connection(AttemptResult::retry(ec.message()));
                          write();
                        });
      return;
    }
    if (rc != CURLE_OK) {
      return fail_connection(AttemptResult::retry(std::string("sending to the server failed: ") +
                                                  curl_easy_strerror(rc)));
    }
    written_ += sent;
  }
  out_.clear();
  written_ = 0;
  read();
}

// A server may answer and close at once (a 421 as it shuts down; a 250 and
// goodbye): read late, as under load, the reply and the end of the
// connection come in the same read() call. The replies that came before the
// end are taken first; only a reply still missing makes the end the outcome.
void SmtpConnection::read() {
  std::array<char, 4096> buffer;
  std::optional<AttemptResult> ended;  // the connection ended: why, if a reply is missing
  for (;;) {
    std::size_t received = 0;
    const CURLcode rc = curl_easy_recv(easy_.get(), buffer.data(), buffer.size(), &received);
    if (rc == CURLE_AGAIN) break;
    if (rc != CURLE_OK) {
      ended = AttemptResult::retry(std::string("reading the server's reply failed: ") +
                                   curl_easy_strerror(rc));
      break;
    }
    if (received == 0) {
      ended = AttemptResult::retry("the server closed the connection");
      break;
    }
    if (!replies_.feed(std::string_view(buffer.data(), received))) {
      return fail_connection(AttemptResult::retry("the server's reply is not SMTP"));
    }
  }
  const std::uint64_t attempt = attempt_;
  bool awaiting = true;
  while (!awaited_.empty()) {
    std::optional<detail::SmtpReply> reply = replies_.next();
    if (!reply) break;
    const Step step = awaited_.front();
    awaited_.pop_front();
    if (!on_reply(step, *reply)) {
      awaiting = false;
      break;
    }
  }
  if (ended) {
    // Still this attempt: what it waits for will never come. Otherwise the
    // attempt ended on a reply; a send() made since has found the
    // connection dead itself, and an idle one is closed here.
    if (attempt == attempt_) return fail_connection(std::move(*ended));
    if (open_ && !done_) close();
    return;
  }
  if (!awaiting) return;
  if (!awaited_.empty()) {
    multi_.async_wait(socket_, /*for_write=*/false,
                      [this, attempt = attempt_](const boost::system::error_code& ec) {
                        if (attempt != attempt_ || !open_) return;
                        if (ec) return fail_connection(AttemptResult::retry(ec.message()));
                        read();
                      });
  }
}

bool SmtpConnection::on_reply(Step step, const detail::SmtpReply& reply) {
  if (reply.code == 421) {  // the server is going away; the reply says why
    fail_connection(refused(reply));
    return false;
  }
  switch (step) {
    case Step::reset:
      if (!positive(reply)) {
        fail_connection(refused(reply));
        return false;
      }
      needs_reset_ = false;
      break;
    case Step::mail:
    case Step::rcpt:
      if (!positive(reply) && !rejected_) rejected_ = refused(reply);
      break;
    case Step::data:
      if (reply.code == 354) {
        if (rejected_) {
          // The server wants the message although part of the envelope was
          // refused: there is no clean way back but to hang up.
          fail_connection(*rejected_);
          return false;
        }
        out_ = std::move(payload_);
        written_ = 0;
        awaited_.push_back(Step::message);
        write();
        return false;
      }
      if (!rejected_) rejected_ = refused(reply);
      needs_reset_ = true;
      finish(*rejected_);
      return false;
    case Step::message:
      finish(positive(reply) ? AttemptResult::sent(reply.code, reply.line) : refused(reply));
      return false;
  }
  // MAIL or RCPT refused without PIPELINING: the rest is not worth sending.
  if (awaited_.empty() && rejected_) {
    needs_reset_ = true;
    finish(*rejected_);
    return false;
  }
  if (awaited_.empty() && !unsent_.empty()) {
    send_next_commands();
    return false;
  }
  return true;
}

void SmtpConnection::on_deadline(std::uint64_t attempt, const boost::system::error_code& ec) {
  if (ec || attempt != attempt_ || !done_) return;
  fail_connection(AttemptResult::retry(no_answer(settings_.timeout)));
}

void SmtpConnection::close() {
  if (opening_ || open_) multi_.close_connection(easy_.get());
  opening_ = false;
  open_ = false;
  socket_ = CURL_SOCKET_BAD;
  needs_reset_ = false;
  replies_ = {};
  awaited_.clear();
  out_.clear();
  written_ = 0;
}

void SmtpConnection::fail_connection(AttemptResult result) {
  close();
  // A refusal heard before the connection broke says more than the break.
  finish(rejected_ ? *rejected_ : std::move(result));
}

void SmtpConnection::finish(AttemptResult result) {
  // More replies than commands: the dialogue is out of step, and the next
  // transaction would read this one's answers. Start afresh instead.
  if (open_ && (replies_.has_partial() || replies_.next())) close();
  deadline_.cancel();
  ++attempt_;  // waits and replies of this attempt are stale from now on
  unsent_.clear();
  awaited_.clear();
  rejected_.reset();
  payload_.clear();
  DeliveryCallback done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));  // may send() again at once
}

}  // namespace kutsu::notifier
