#include "model/notification.h"

namespace kutsu::model {

std::string_view to_string(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::invitation:
      return "invitation";
    case NotificationKind::reminder:
      return "reminder";
    case NotificationKind::update:
      return "update";
    case NotificationKind::cancellation:
      return "cancellation";
  }
  return "?";
}

std::optional<NotificationKind> parse_notification_kind(std::string_view name) {
  for (auto kind : {NotificationKind::invitation, NotificationKind::reminder,
                    NotificationKind::update, NotificationKind::cancellation}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::array<char, 32> NotificationId::hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 32> out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

std::string NotificationId::to_string() const {
  std::array<char, 32> digits = hex();
  return std::string(digits.data(), digits.size());
}

std::optional<NotificationId> NotificationId::parse(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // upper case is not the printed form, so it is not an id either
  };
  NotificationId id;
  if (hex.size() != id.bytes.size() * 2) return std::nullopt;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    int high = nibble(hex[2 * i]);
    int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    id.bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return id;
}

}  // namespace kutsu::model
