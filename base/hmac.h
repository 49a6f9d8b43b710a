// HMAC-SHA256 through OpenSSL: the Standard Webhooks signature and the
// opt-out links' values are both made with it.
#pragma once

#include <string>
#include <string_view>

namespace kutsu {

// The 32-byte MAC of `message` under `key`. Throws std::runtime_error only
// if OpenSSL itself fails (out of memory).
std::string hmac_sha256(std::string_view key, std::string_view message);

// Compares two MACs in time that does not depend on where they differ.
bool same_mac(std::string_view a, std::string_view b);

}  // namespace kutsu
