#include "base/base64.h"

#include <openssl/evp.h>

namespace kutsu {

std::string base64_encode(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 bytes (rounded up) and a NUL.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return Error{"not base64: the length is not a multiple of 4", ErrorCode::invalid};
  }
  std::string out(text.size() / 4 * 3, '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return Error{"not base64: invalid characters", ErrorCode::invalid};
  // EVP_DecodeBlock counts the padding as zero bytes; drop them.
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  out.resize(static_cast<std::size_t>(written) - padding);
  // It also tolerates whitespace and stray '='; only canonical text round-trips.
  if (base64_encode(out) != text) return Error{"not canonical base64", ErrorCode::invalid};
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string text = base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

Result<std::string> base64url_decode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    // The standard alphabet's own '+', '/' and '=' are not URL-safe base64.
    if (c == '+' || c == '/' || c == '=') return Error{"not base64url", ErrorCode::invalid};
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  if (standard.size() % 4 == 1) return Error{"not base64url", ErrorCode::invalid};
  standard.append((4 - standard.size() % 4) % 4, '=');
  if (standard.empty()) return std::string{};
  return base64_decode(standard);
}

}  // namespace kutsu
