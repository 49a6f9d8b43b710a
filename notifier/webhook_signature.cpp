#include "notifier/webhook_signature.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

namespace kutsu::notifier {

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
    return Error{"not base64: the length is not a multiple of 4"};
  }
  std::string out(text.size() / 4 * 3, '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return Error{"not base64: invalid characters"};
  // EVP_DecodeBlock counts the padding as zero bytes; drop them.
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  out.resize(static_cast<std::size_t>(written) - padding);
  // It also tolerates whitespace and stray '='; only canonical text round-trips.
  if (base64_encode(out) != text) return Error{"not canonical base64"};
  return out;
}

Result<WebhookSigner> WebhookSigner::from_secret(std::string_view secret) {
  constexpr std::string_view prefix = "whsec_";
  if (secret.starts_with(prefix)) secret.remove_prefix(prefix.size());
  Result<std::string> key = base64_decode(secret);
  if (!key)
    return Error{"webhook secret is not \"whsec_\" followed by base64 (" + key.error().message +
                 ")"};
  if (key->empty()) return Error{"webhook secret is empty"};
  return WebhookSigner(std::move(*key));
}

std::string WebhookSigner::sign(std::string_view id, date::sys_seconds timestamp,
                                std::string_view body) const {
  std::string content;
  std::string seconds = std::to_string(timestamp.time_since_epoch().count());
  content.reserve(id.size() + seconds.size() + body.size() + 2);
  content.append(id).append(".").append(seconds).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t mac_size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_.data(), key_.size(),
                reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac,
                sizeof mac, &mac_size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
  }
  return "v1," + base64_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

}  // namespace kutsu::notifier
