// Shared by the SMTP delivery tests: settings for a loopback test server, a
// transport made from them, and sending one message to its result.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

#include "notifier/smtp_transport.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier::testing {

// Plain SMTP to `server` (starttls off is allowed on loopback), 10 s per attempt.
inline SmtpSettings loopback(const kutsu::testing::SmtpServer& server, long max_connections = 1) {
  SmtpSettings settings;
  settings.url = server.url();
  settings.starttls = StartTls::off;
  settings.max_connections = max_connections;
  settings.timeout = std::chrono::seconds(10);
  return settings;
}

inline std::unique_ptr<SmtpTransport> make_transport(boost::asio::io_context& io,
                                                     SmtpSettings settings) {
  auto transport = SmtpTransport::create(io, std::move(settings));
  if (!transport) ADD_FAILURE() << transport.error().message;
  return transport ? std::move(*transport) : nullptr;
}

// Sends one message and waits for its result.
inline AttemptResult send_one(boost::asio::io_context& io, SmtpTransport& transport,
                              EmailMessage message) {
  Results results;
  transport.send(std::move(message), results.add());
  EXPECT_TRUE(run_until(io, [&] { return results.size() == 1; }));
  return results.size() == 1 ? results.all[0] : AttemptResult{};
}

}  // namespace kutsu::notifier::testing
