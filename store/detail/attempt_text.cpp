#include "store/detail/attempt_text.h"

namespace kutsu::store::detail {

std::string summary_of(const AttemptResult& result) {
  std::string text(to_string(result.outcome));
  const std::string code = result.code ? std::to_string(*result.code) : std::string();
  const bool detail_has_code =
      !code.empty() && result.detail.starts_with(code) &&
      (result.detail.size() == code.size() || result.detail[code.size()] == ' ');
  if (!code.empty() && !detail_has_code) text += ' ' + code;
  if (!result.detail.empty()) text += ' ' + result.detail;
  return text;
}

NotificationState state_after(const RecordedAttempt& recorded) {
  switch (recorded.attempt.result.outcome) {
    case AttemptOutcome::sent:
      return NotificationState::sent;
    case AttemptOutcome::retry:
      return recorded.next_attempt_at ? NotificationState::retrying : NotificationState::failed;
    case AttemptOutcome::permanent:
      return NotificationState::failed;
  }
  return NotificationState::failed;
}

Status check_attempt(const RecordedAttempt& recorded) {
  const AttemptOutcome outcome = recorded.attempt.result.outcome;
  if (recorded.next_attempt_at && outcome != AttemptOutcome::retry) {
    return Error{"result for " + recorded.id + " is '" + std::string(to_string(outcome)) +
                     "' but names a next attempt; only a retry can",
                 ErrorCode::invalid};
  }
  return {};
}

}  // namespace kutsu::store::detail
