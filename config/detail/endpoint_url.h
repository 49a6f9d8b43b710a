// EndpointUrl: the parts of a server URL (SMTP, webhook) the config checks:
// scheme, host and whether only this machine can be reached through it.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::config::detail {

struct EndpointUrl {
  std::string scheme;  // lowercase
  std::string host;    // as written, IPv6 without brackets
  // 127.0.0.0/8, ::1 or "localhost": plain-text transport is allowed there
  // (the test servers), nowhere else.
  bool loopback = false;

  // An absolute URL with a host (RFC 3986, via Boost.URL).
  static Result<EndpointUrl> parse(std::string_view text);
};

}  // namespace kutsu::config::detail
