#include "base/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>

namespace kutsu {
namespace {

Error malformed(std::string_view text, std::string_view why) {
  return Error{"listen address '" + std::string(text) + "' " + std::string(why) +
               " (expected HOST:PORT, e.g. 127.0.0.1:8470 or [::1]:8470)"};
}

bool is_ipv4(const std::string& host) {
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

}  // namespace

Result<ListenAddress> ListenAddress::parse(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return malformed(text, "has no port");
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);

  ListenAddress address;
  if (host.starts_with('[')) {
    if (!host.ends_with(']')) return malformed(text, "has an unclosed '['");
    address.host = std::string(host.substr(1, host.size() - 2));
    if (!is_ipv6(address.host)) return malformed(text, "has no IPv6 address inside [ ]");
  } else {
    address.host = std::string(host);
    if (address.host.find(':') != std::string::npos) {
      return malformed(text, "must put an IPv6 address in brackets");
    }
    if (!is_ipv4(address.host)) return malformed(text, "must name an IP address, not a host name");
  }

  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return malformed(text, "has a port that is not a number from 0 to 65535");
  }
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

std::string ListenAddress::to_string() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

bool ListenAddress::is_loopback() const {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace kutsu
