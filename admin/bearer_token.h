// Checking an "Authorization: Bearer <token>" header against the configured
// token without telling an attacker, by timing, how much of a guess was
// right: the bytes are compared with CRYPTO_memcmp (constant time for equal
// lengths), and a guess of the wrong length still costs a full comparison.
// The scheme name is case-insensitive (RFC 7235); the token is not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kutsu::admin {

// False when no token is configured, the header is missing or not "Bearer …",
// or the token differs.
bool bearer_token_matches(std::optional<std::string_view> authorization,
                          const std::optional<std::string>& token);

}  // namespace kutsu::admin
