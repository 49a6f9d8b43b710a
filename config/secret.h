// Secret: a password, token or signing key read from a file, which must never
// reach a log line.
//
// Printing a Secret (operator<<, to_string()) always gives "***"; the only way
// to the bytes is reveal(), a name that stands out where it is used. The
// memory is wiped (OPENSSL_cleanse) when a Secret dies. Copying is allowed;
// each copy wipes its own bytes. fmt/spdlog have no formatter for it, so a
// Secret passed to a log call does not compile rather than leak.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "base/result.h"

namespace kutsu::config {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  ~Secret();
  Secret(const Secret& other) = default;
  Secret& operator=(const Secret& other);
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;

  // The secret itself, for the one call that needs it (SMTP AUTH, HMAC, the
  // bearer token comparison).
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  std::string to_string() const { return "***"; }
  friend std::ostream& operator<<(std::ostream& out, const Secret&) { return out << "***"; }

 private:
  void wipe();

  std::string value_;
};

// The content of a secret file without surrounding whitespace (a trailing
// newline). A missing, unreadable, empty or oversized (> 64 KiB) file is an
// error that names the path and the reason, never the content. For files
// the config does not name, e.g. `kutsu status --token-file`.
Result<Secret> read_secret_file(const std::filesystem::path& path);

}  // namespace kutsu::config
