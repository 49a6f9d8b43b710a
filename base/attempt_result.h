// AttemptResult: how one attempt to deliver a notification ended, in the one
// vocabulary every layer speaks — the transports report it, the
// NotificationSender passes it on, the dispatcher picks the next step from
// it and the outbox records it.
//
//   sent       delivered; nothing more to do
//   retry      not delivered, and trying again later may work
//   permanent  not delivered, and trying again will not help
//
// Which server replies and errors land where is the delivery side's
// business (notifier/delivery.h); what state each leads to is the outbox's
// (store/rows.h). It lives in base/ because notifier, scheduler and store
// all use it and may not include each other.
//
// The names to_string gives ("sent", "retry", "permanent") are stored in the
// outbox and shown by the admin API and /metrics: they must not change.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kutsu {

enum class AttemptOutcome { sent, retry, permanent };

inline constexpr std::array<AttemptOutcome, 3> kAllAttemptOutcomes = {
    AttemptOutcome::sent, AttemptOutcome::retry, AttemptOutcome::permanent};

std::string_view to_string(AttemptOutcome outcome);
// The inverse of to_string; none for any other text.
std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view name);

struct AttemptResult {
  AttemptOutcome outcome = AttemptOutcome::retry;
  std::optional<int> code;  // SMTP reply or HTTP status; none when no server answered
  std::string detail;       // for people: a reply line or an error; never a secret or a body
  // How long the server asked to be left alone (HTTP Retry-After), if it said.
  std::optional<std::chrono::seconds> retry_after;

  // The forms without a code are for attempts no server answered (a network
  // error, a timeout, a file written, a message that cannot be sent).
  static AttemptResult sent(std::optional<int> code, std::string detail) {
    return {AttemptOutcome::sent, code, std::move(detail), std::nullopt};
  }
  static AttemptResult sent(std::string detail) {
    return {AttemptOutcome::sent, std::nullopt, std::move(detail), std::nullopt};
  }
  static AttemptResult retry(std::optional<int> code, std::string detail,
                             std::optional<std::chrono::seconds> after = std::nullopt) {
    return {AttemptOutcome::retry, code, std::move(detail), after};
  }
  static AttemptResult retry(std::string detail) {
    return {AttemptOutcome::retry, std::nullopt, std::move(detail), std::nullopt};
  }
  static AttemptResult permanent(std::optional<int> code, std::string detail) {
    return {AttemptOutcome::permanent, code, std::move(detail), std::nullopt};
  }
  static AttemptResult permanent(std::string detail) {
    return {AttemptOutcome::permanent, std::nullopt, std::move(detail), std::nullopt};
  }

  friend bool operator==(const AttemptResult&, const AttemptResult&) = default;
};

}  // namespace kutsu
