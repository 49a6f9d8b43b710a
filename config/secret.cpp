#include "config/secret.h"

#include "config/detail/secret_file.h"

#include <openssl/crypto.h>

namespace kutsu::config {

void Secret::wipe() {
  // OPENSSL_cleanse cannot be optimised away like a memset before free.
  // Wipe the whole buffer, not only size(): a shorter value may have been
  // assigned over a longer one, and a moved-from short string keeps its old
  // characters in place. resize() to the capacity never reallocates.
  value_.resize(value_.capacity());
  OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

Secret::~Secret() { wipe(); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

Result<Secret> read_secret_file(const std::filesystem::path& path) {
  return detail::read_secret_file(path);
}

}  // namespace kutsu::config
