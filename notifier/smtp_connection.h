// SmtpConnection: one connection to the SMTP server, one message at a time,
// kept open from message to message.
//
// libcurl opens it — CURLOPT_CONNECT_ONLY through a CurlMulti of its own:
// TCP, implicit TLS or STARTTLS with curl's certificate checks, EHLO, AUTH
// with the password — and then hands over the connection. The mail
// transaction itself (MAIL FROM, RCPT TO, DATA, the message) is written and
// read here through curl_easy_send / curl_easy_recv, which keep curl's TLS,
// waiting for the socket in Asio.
//
// Why not curl's own SMTP transfer: after the message curl waits for the
// reply to the end of DATA synchronously (curl issues #8555, #4015), which
// stalls the event loop for a round trip per message, and it never
// pipelines. Here no wait blocks, and when the server offers PIPELINING
// (RFC 2920) MAIL, RCPT and DATA go out in one write: two round trips per
// message instead of four.
//
// Each send() ends in one AttemptResult, classified as SmtpTransport
// documents (smtp_transport.h). After a rejected transaction the next one
// starts with RSET. A reply that is not SMTP, a 421, a network error or the
// timeout closes the connection; so does finding, before a message, that
// the server closed it while idle — then a new one is opened for the message
// without it counting as a failure.
//
// Threading and lifetimes: the io_context's thread only; `done` runs there
// exactly once, never inside send(), and send() may be called from inside it.
// Destroying the connection abandons a send in flight (its `done` is
// destroyed uncalled) and closes the connection without a goodbye. The
// io_context and `settings` must outlive it.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "notifier/curl_multi.h"
#include "notifier/delivery.h"
#include "notifier/detail/curl_easy.h"
#include "notifier/detail/smtp_wire.h"

namespace kutsu::notifier {

struct SmtpSettings;

class SmtpConnection {
 public:
  // Fails when curl cannot be set up (out of memory, an option refused).
  static Result<std::unique_ptr<SmtpConnection>> create(boost::asio::io_context& io,
                                                        const SmtpSettings& settings);
  ~SmtpConnection();
  SmtpConnection(const SmtpConnection&) = delete;
  SmtpConnection& operator=(const SmtpConnection&) = delete;

  // One message; the envelope addresses must already be safe (no spaces,
  // brackets or control characters). Not while a send is in flight.
  void send(EmailMessage message, DeliveryCallback done);

 private:
  // The commands of a transaction, and what their replies mean.
  enum class Step { reset, mail, rcpt, data, message };
  struct Command {
    Step step;
    std::string text;  // with CRLF
  };

  SmtpConnection(boost::asio::io_context& io, const SmtpSettings& settings);
  Status init();

  void open();
  void on_opened(CURLcode result);
  bool idle_connection_is_alive();
  void start_transaction();
  void send_next_commands();
  void write();
  void read();
  // false: the attempt has ended (or the connection was closed) inside.
  bool on_reply(Step step, const detail::SmtpReply& reply);
  void close();
  void fail_connection(AttemptResult result);
  void finish(AttemptResult result);
  void on_deadline(std::uint64_t attempt, const boost::system::error_code& ec);

  // CURLOPT_HEADERFUNCTION: curl hands over the server's reply lines while
  // it connects (never our commands, so never the AUTH secret).
  static size_t on_header(char* data, size_t size, size_t count, void* self);

  boost::asio::io_context& io_;
  const SmtpSettings& settings_;
  boost::asio::steady_timer deadline_;
  // Handlers already queued hold a weak_ptr to this and do nothing once it
  // has expired, i.e. once *this is being destroyed.
  std::shared_ptr<int> life_;

  // The connection.
  detail::EasyHandle easy_;
  std::array<char, CURL_ERROR_SIZE> error_{};
  bool opening_ = false;
  bool open_ = false;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  std::vector<std::string> greeting_;  // reply lines while curl connected
  bool pipelining_ = false;            // the last EHLO offered PIPELINING
  bool needs_reset_ = false;           // a rejected transaction left state behind
  detail::SmtpReplyReader replies_;

  // The attempt in flight.
  std::uint64_t attempt_ = 0;  // bumped by every send(): stale waits and timers see it
  DeliveryCallback done_;
  std::string payload_;                     // the message, dot-stuffed and terminated
  std::deque<Command> unsent_;              // commands not yet written
  std::deque<Step> awaited_;                // replies still to come, in order
  std::string out_;                         // bytes being written
  std::size_t written_ = 0;                 // of out_
  std::optional<AttemptResult> rejected_;   // the first refusal in this transaction

  // Declared last: destroyed first, closing the connection while the
  // handle still exists.
  CurlMulti multi_;
};

}  // namespace kutsu::notifier
