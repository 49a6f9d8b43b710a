#include "admin/bearer_token.h"

#include <openssl/crypto.h>

#include <boost/beast/core/string.hpp>

namespace kutsu::admin {

namespace {

constexpr std::string_view kScheme = "Bearer ";

bool equal_in_constant_time(std::string_view given, std::string_view expected) {
  // Compare something of the expected length either way, so that the time
  // taken does not depend on where (or whether) the guess went wrong.
  const bool same_length = given.size() == expected.size();
  std::string_view probe = same_length ? given : expected;
  const int differs = CRYPTO_memcmp(probe.data(), expected.data(), expected.size());
  return same_length && differs == 0;
}

}  // namespace

bool bearer_token_matches(std::optional<std::string_view> authorization,
                          const std::optional<std::string>& token) {
  if (!token || token->empty() || !authorization) return false;
  if (authorization->size() < kScheme.size() ||
      !boost::beast::iequals(authorization->substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  return equal_in_constant_time(authorization->substr(kScheme.size()), *token);
}

}  // namespace kutsu::admin
