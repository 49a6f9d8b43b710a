#include "base/attempt_result.h"

namespace kutsu {

std::string_view to_string(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::sent:
      return "sent";
    case AttemptOutcome::retry:
      return "retry";
    case AttemptOutcome::permanent:
      return "permanent";
  }
  return "unknown";
}

std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view name) {
  for (AttemptOutcome outcome : kAllAttemptOutcomes) {
    if (to_string(outcome) == name) return outcome;
  }
  return std::nullopt;
}

}  // namespace kutsu
