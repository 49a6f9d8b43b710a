#include "notifier/smtp_transport.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <utility>

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

}  // namespace

Result<std::unique_ptr<SmtpTransport>> SmtpTransport::create(boost::asio::io_context& io,
                                                             SmtpSettings settings) {
  if (Status valid = validate(settings); !valid) return valid.error();
  std::unique_ptr<SmtpTransport> transport(new SmtpTransport(io, std::move(settings)));
  for (long i = 0; i < transport->settings_.max_connections; ++i) {
    Result<std::unique_ptr<SmtpConnection>> connection =
        SmtpConnection::create(io, transport->settings_);
    if (!connection) return connection.error();
    transport->idle_.push_back(connection->get());
    transport->connections_.push_back(std::move(*connection));
  }
  // The first connection is used first: a trickle of messages keeps reusing
  // one open connection instead of opening all of them in turn.
  std::reverse(transport->idle_.begin(), transport->idle_.end());
  return transport;
}

SmtpTransport::SmtpTransport(boost::asio::io_context& io, SmtpSettings settings)
    : io_(io), settings_(std::move(settings)) {}

SmtpTransport::~SmtpTransport() = default;

void SmtpTransport::send(EmailMessage message, DeliveryCallback done) {
  if (!is_safe_envelope_address(message.envelope_from) ||
      !is_safe_envelope_address(message.envelope_to)) {
    boost::asio::post(io_, [done = std::move(done)] {
      done(AttemptResult::permanent("invalid envelope address"));
    });
    return;
  }
  queue_.push_back({std::move(message), std::move(done)});
  start_waiting();
}

void SmtpTransport::start_waiting() {
  while (!idle_.empty() && !queue_.empty()) {
    SmtpConnection* connection = idle_.back();
    idle_.pop_back();
    Waiting next = std::move(queue_.front());
    queue_.pop_front();
    connection->send(std::move(next.message),
                     [this, connection, done = std::move(next.done)](AttemptResult result) {
                       // Hand the connection to the next waiting message
                       // before telling the caller, so the queue keeps
                       // moving whatever the callback does.
                       idle_.push_back(connection);
                       start_waiting();
                       done(std::move(result));
                     });
  }
}

}  // namespace kutsu::notifier
