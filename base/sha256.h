// Sha256: SHA-256 (OpenSSL's EVP) over bytes given in pieces, as 64
// lowercase hex digits: the content hash of a series file and the digest of
// a plan. A failure inside OpenSSL (out of memory, a broken installation)
// comes back as an Error from hex(), never as a throw.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

struct evp_md_ctx_st;

namespace kutsu {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void add(std::string_view bytes);
  // The digest of everything added; the hash is finished after it.
  Result<std::string> hex();

 private:
  evp_md_ctx_st* context_ = nullptr;
  bool failed_ = false;
};

Result<std::string> sha256_hex(std::string_view bytes);

}  // namespace kutsu
