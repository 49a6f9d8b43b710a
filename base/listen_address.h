// ListenAddress: where the admin API listens, written "127.0.0.1:8470" or
// "[::1]:8470". The host must be an IP address (the server binds to it, it
// does not resolve names); the port is 0–65535, 0 asking for any free port
// (tests; the daemon logs the port it got).
//
// A plain value in base/ because config reads it and admin binds to it,
// refuses a public address without a token (is_loopback) and logs it; those
// two layers may not include each other, and both need the same rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu {

struct ListenAddress {
  std::string host;  // the address without brackets: "127.0.0.1", "::1"
  std::uint16_t port = 0;

  // Parses "HOST:PORT"; an IPv6 host is written in brackets.
  static Result<ListenAddress> parse(std::string_view text);
  // Back to "HOST:PORT" with brackets for IPv6.
  std::string to_string() const;
  // 127.0.0.0/8 or ::1 — an address only this machine can reach.
  bool is_loopback() const;

  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

}  // namespace kutsu
