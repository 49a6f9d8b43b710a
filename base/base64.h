// Base64 (RFC 4648) through OpenSSL: the standard alphabet with padding
// (webhook secrets and signatures), and the URL-safe alphabet without
// padding (values in links). Decoding accepts only canonical text (no
// whitespace, no stray or missing padding, no unused bits set): anything
// else is an error, so one value has one spelling.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu {

std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

// RFC 4648 section 5: '-' and '_' for '+' and '/', no '='.
std::string base64url_encode(std::string_view bytes);
Result<std::string> base64url_decode(std::string_view text);

}  // namespace kutsu
