// SmtpTransport: sends EmailMessages to one SMTP server through libcurl,
// inside the io_context (see CurlMulti), over at most `max_connections`
// connections that are kept open and reused from message to message.
//
// Messages beyond `max_connections` wait in a FIFO queue inside the transport,
// so the per-attempt timeout only starts when a message is actually being
// sent. Each attempt ends in a DeliveryResult:
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
//
// Known libcurl limitation (curl issues #8555, #4015): after the message body,
// curl waits for the server's reply to the end of DATA synchronously, inside
// the io_context's handler, up to `timeout`. Against a relay that answers in
// microseconds (a local MTA) this costs little; against one that
// takes seconds to accept, that wait stalls everything else on the loop. The
// transport can be given an io_context of its own (on its own thread) if that
// matters; its callbacks then run on that thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "notifier/curl_multi.h"
#include "notifier/delivery.h"

namespace kutsu::notifier {

enum class StartTls {
  required,       // refuse to send unless the server upgrades the connection
  opportunistic,  // upgrade when the server offers it, else send in the clear
  off,            // never upgrade; accepted only for a loopback server
};

// "required" | "opportunistic" | "off", as in kutsu.toml's [email] starttls.
Result<StartTls> parse_starttls(std::string_view text);

struct SmtpSettings {
  std::string url;  // smtp://host[:port] (STARTTLS per `starttls`) or smtps:// (implicit TLS)
  StartTls starttls = StartTls::required;
  std::string username;  // empty: no AUTH
  std::string password;  // already read from password_file by the caller
  long max_connections = 8;
  std::chrono::milliseconds timeout{30'000};  // one attempt: connect, dialogue and upload
  std::string ca_file;  // PEM file of CAs to trust instead of the system store; empty: system
};

// Why `settings` cannot be used, naming the setting; ok when it can.
Status validate(const SmtpSettings& settings);

class SmtpTransport final : public EmailDelivery {
 public:
  // Fails when the settings are invalid (see validate) or curl cannot be set up.
  static Result<std::unique_ptr<SmtpTransport>> create(boost::asio::io_context& io,
                                                       SmtpSettings settings);
  ~SmtpTransport() override;

  void send(EmailMessage message, DeliveryCallback done) override;

  std::size_t queued() const { return queue_.size(); }  // waiting for a free connection

 private:
  struct Slot;  // one easy handle and the message it is sending
  struct Waiting {
    EmailMessage message;
    DeliveryCallback done;
  };

  SmtpTransport(boost::asio::io_context& io, SmtpSettings settings);
  Status init_slots();
  void start_waiting();  // pairs idle slots with waiting messages
  void start(Slot& slot, EmailMessage message, DeliveryCallback done);
  void on_done(Slot& slot, CURLcode result);

  boost::asio::io_context& io_;
  SmtpSettings settings_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> idle_;
  std::deque<Waiting> queue_;
  CurlMulti multi_;  // declared last: destroyed first, while the slots' handles still exist
};

}  // namespace kutsu::notifier
