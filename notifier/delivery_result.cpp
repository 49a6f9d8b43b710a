#include "notifier/delivery_result.h"

namespace kutsu::notifier {

std::string_view to_string(DeliveryResult::Outcome outcome) {
  switch (outcome) {
    case DeliveryResult::Outcome::sent: return "sent";
    case DeliveryResult::Outcome::retry: return "retry";
    case DeliveryResult::Outcome::permanent: return "permanent";
  }
  return "unknown";
}

}  // namespace kutsu::notifier
