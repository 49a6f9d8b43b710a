#include "store/detail/page_cursor.h"

#include <charconv>
#include <cstdint>

namespace kutsu::store::detail {
namespace {

constexpr std::size_t kDueDigits = 16;  // the due as a 64-bit two's complement number
constexpr std::size_t kIdDigits = 32;

bool is_lower_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string PageCursor::encode() const {
  auto bits = static_cast<std::uint64_t>(due.time_since_epoch().count());
  std::string token(kDueDigits, '0');
  for (std::size_t i = kDueDigits; i-- > 0; bits >>= 4) token[i] = "0123456789abcdef"[bits & 0xf];
  return token + id;
}

std::optional<PageCursor> PageCursor::decode(std::string_view token) {
  if (token.size() != kDueDigits + kIdDigits || !is_lower_hex(token)) return std::nullopt;
  std::uint64_t bits = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + kDueDigits, bits, 16);
  if (error != std::errc() || end != token.data() + kDueDigits) return std::nullopt;
  return PageCursor{std::chrono::sys_seconds{std::chrono::seconds{static_cast<std::int64_t>(bits)}},
                    std::string(token.substr(kDueDigits))};
}

}  // namespace kutsu::store::detail
