// The key that signs opt-out links, as both stores make it: 32 bytes from
// the kernel's random source as 64 hex digits, kept in the outbox's
// settings under kOptOutKeySetting. Promises: a fresh key per call, or the
// OS's error (never a weak key).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::store::detail {

inline constexpr std::string_view kOptOutKeySetting = "opt_out_key";

Result<std::string> fresh_opt_out_key();

}  // namespace kutsu::store::detail
