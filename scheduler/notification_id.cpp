#include "scheduler/notification_id.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace kutsu::scheduler {
namespace {

constexpr std::string_view kRecipeVersion = "kutsu-notification-v1";

[[noreturn]] void throw_openssl_error(const char* what) {
  char reason[256] = "unknown error";
  if (unsigned long code = ERR_get_error(); code != 0) {
    ERR_error_string_n(code, reason, sizeof reason);
  }
  throw std::runtime_error(std::string("OpenSSL ") + what + " failed: " + reason);
}

}  // namespace

NotificationIdHasher::NotificationIdHasher() {
  // Fetched once: EVP_sha256() would look the algorithm up on every init.
  sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (sha256_ == nullptr) throw_openssl_error("EVP_MD_fetch(SHA256)");
  context_ = EVP_MD_CTX_new();
  if (context_ == nullptr) {
    EVP_MD_free(sha256_);
    throw_openssl_error("EVP_MD_CTX_new");
  }
  input_.reserve(256);
}

NotificationIdHasher::~NotificationIdHasher() {
  EVP_MD_CTX_free(context_);
  EVP_MD_free(sha256_);
}

void NotificationIdHasher::append_field(std::string_view bytes) {
  auto size = static_cast<std::uint32_t>(bytes.size());
  const char length[4] = {static_cast<char>(size >> 24), static_cast<char>(size >> 16),
                          static_cast<char>(size >> 8), static_cast<char>(size)};
  input_.append(length, 4);
  input_.append(bytes);
}

model::NotificationId NotificationIdHasher::id_of(const NotificationIdentity& identity) {
  input_.assign(kRecipeVersion);
  append_field(identity.series);
  append_field(identity.session);
  append_field(to_string(identity.kind));
  append_field(identity.offset);
  append_field(agenda::to_string(identity.channel));

  std::size_t recipient_at = input_.size() + 4;
  append_field(identity.recipient);
  if (identity.channel == agenda::Channel::email) {
    std::transform(input_.begin() + static_cast<std::ptrdiff_t>(recipient_at), input_.end(),
                   input_.begin() + static_cast<std::ptrdiff_t>(recipient_at), [](char c) {
                     return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                   });
  }

  char start[24];
  auto [end, error] =
      std::to_chars(start, start + sizeof start, identity.session_start.time_since_epoch().count());
  if (error != std::errc{}) throw std::runtime_error("session start does not fit in 24 digits");
  append_field(std::string_view(start, static_cast<std::size_t>(end - start)));

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_DigestInit_ex2(context_, sha256_, nullptr) != 1)
    throw_openssl_error("EVP_DigestInit_ex2");
  if (EVP_DigestUpdate(context_, input_.data(), input_.size()) != 1) {
    throw_openssl_error("EVP_DigestUpdate");
  }
  if (EVP_DigestFinal_ex(context_, digest, &digest_size) != 1 || digest_size < 16) {
    throw_openssl_error("EVP_DigestFinal_ex");
  }
  model::NotificationId id;
  std::copy_n(digest, id.bytes.size(), id.bytes.begin());
  return id;
}

}  // namespace kutsu::scheduler
