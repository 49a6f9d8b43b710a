// SmtpTransport: sends EmailMessages to one SMTP server over at most
// `max_connections` SmtpConnections, each kept open and reused from message
// to message (smtp_connection.h: libcurl opens them, inside the io_context).
//
// Messages beyond `max_connections` wait in a FIFO queue inside the
// transport, so the per-attempt timeout only starts when a message is
// actually being sent. Each attempt ends in an AttemptResult:
//   sent       the server answered 2xx to the end of DATA
//   retry      SMTP 4xx, connection refused or lost, timeouts, TLS failures
//              (a certificate may be renewed before the next attempt)
//   permanent  SMTP 5xx (e.g. 550 for RCPT, 535 for AUTH); starttls =
//              "required" but the server offers no STARTTLS; an envelope
//              address that would inject SMTP commands
// `detail` is the server's reply line that carried the code (or curl's error
// text); the password and the message body never appear in it and are never
// logged.
//
// Threading and lifetimes: as EmailDelivery (delivery.h); the io_context must
// outlive the transport.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "notifier/delivery.h"
#include "notifier/smtp_connection.h"
#include "notifier/smtp_settings.h"

namespace kutsu::notifier {

class SmtpTransport final : public EmailDelivery {
 public:
  // Fails when the settings are invalid (see validate) or curl cannot be set up.
  static Result<std::unique_ptr<SmtpTransport>> create(boost::asio::io_context& io,
                                                       SmtpSettings settings);
  ~SmtpTransport() override;

  void send(EmailMessage message, DeliveryCallback done) override;

  std::size_t queued() const { return queue_.size(); }  // waiting for a free connection

 private:
  struct Waiting {
    EmailMessage message;
    DeliveryCallback done;
  };

  SmtpTransport(boost::asio::io_context& io, SmtpSettings settings);
  void start_waiting();  // pairs idle connections with waiting messages

  boost::asio::io_context& io_;
  SmtpSettings settings_;  // the connections keep a reference
  std::vector<std::unique_ptr<SmtpConnection>> connections_;
  std::vector<SmtpConnection*> idle_;
  std::deque<Waiting> queue_;
};

}  // namespace kutsu::notifier
