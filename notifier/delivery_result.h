// DeliveryResult: how one delivery attempt ended, classified for the outbox.
//
//   sent       the server accepted it (SMTP 250 after DATA, HTTP 2xx, file renamed into new/)
//   retry      try again later: SMTP 4xx, HTTP 408/429/5xx, network errors, timeouts
//   permanent  do not try again: SMTP 5xx, other HTTP 4xx, a message that cannot be sent
//
// `detail` is what an admin needs to see (the server's reply line, "connection
// refused", "timed out after 30 s"); it never contains a secret or a body.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kutsu::notifier {

struct DeliveryResult {
  enum class Outcome { sent, retry, permanent };

  Outcome outcome = Outcome::retry;
  int code = 0;            // SMTP reply code or HTTP status; 0 when none came
  std::string detail;
  // From Retry-After on 429/503, when the server gave one.
  std::optional<std::chrono::seconds> retry_after;

  static DeliveryResult sent(int code, std::string detail) {
    return {Outcome::sent, code, std::move(detail), std::nullopt};
  }
  static DeliveryResult retry(int code, std::string detail,
                              std::optional<std::chrono::seconds> after = std::nullopt) {
    return {Outcome::retry, code, std::move(detail), after};
  }
  static DeliveryResult permanent(int code, std::string detail) {
    return {Outcome::permanent, code, std::move(detail), std::nullopt};
  }
};

std::string_view to_string(DeliveryResult::Outcome outcome);

}  // namespace kutsu::notifier
