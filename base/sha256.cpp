#include "base/sha256.h"

#include <array>

#include <openssl/evp.h>

namespace kutsu {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  failed_ = context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1;
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::add(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  failed_ = EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1;
}

Result<std::string> Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (failed_ || EVP_DigestFinal_ex(context_, digest.data(), &length) != 1) {
    failed_ = true;
    return Error{"SHA-256 failed in OpenSSL"};
  }
  failed_ = true;  // finished: a second hex() is a failure, not a digest of nothing
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0xf];
  }
  return text;
}

Result<std::string> sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.add(bytes);
  return hash.hex();
}

}  // namespace kutsu
