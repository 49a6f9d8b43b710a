// Shared by the delivery tests: driving an io_context until something has
// happened (never sleeping), collecting AttemptResults, and a small
// hand-written e-mail with a Finnish subject and a body that needs
// dot-stuffing.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "notifier/delivery.h"

namespace kutsu::notifier::testing {

// Runs handlers on `io` until `done()` holds; false if `timeout` passed first.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto guard = boost::asio::make_work_guard(io);  // keeps run_one_for waiting, not returning
  io.restart();
  while (!done()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    io.run_one_for(deadline - now);
  }
  return true;
}

// Results in the order the callbacks ran.
struct Results {
  std::vector<AttemptResult> all;
  DeliveryCallback add() {
    return [this](AttemptResult result) { all.push_back(std::move(result)); };
  }
  std::size_t size() const { return all.size(); }
};

// RFC 5322 with CRLF line ends, an RFC 2047 UTF-8 subject ("Muistutus:
// Työntekijöiden oikeudet huomenna klo 18.00"), an 8-bit UTF-8 body and lines
// starting with "." that SMTP must dot-stuff and the server unstuff.
inline EmailMessage hand_written_email(const std::string& id, const std::string& to) {
  EmailMessage message;
  message.notification_id = id;
  message.envelope_from = "webinaarit@example.org";
  message.envelope_to = to;
  message.bytes =
      "From: Webinaarit <webinaarit@example.org>\r\n"
      "To: " +
      to +
      "\r\n"
      "Subject: =?UTF-8?Q?Muistutus=3A_Ty=C3=B6ntekij=C3=B6iden_oikeudet_huomenna_klo_18=2E00?=\r\n"
      "Date: Tue, 01 Feb 2022 18:00:00 +0200\r\n"
      "Message-ID: <" +
      id +
      "@example.org>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n"
      "Hei,\r\n"
      "\r\n"
      "huomenna ke 2.2.2022 klo 18.00–19.30: Työntekijöiden oikeudet hyvinvointialueella.\r\n"
      ".Tämä rivi alkaa pisteellä.\r\n"
      ".\r\n"
      "Tervetuloa!\r\n";
  return message;
}

}  // namespace kutsu::notifier::testing
