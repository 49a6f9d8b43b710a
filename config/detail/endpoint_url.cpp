#include "config/detail/endpoint_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace kutsu::config::detail {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<EndpointUrl> EndpointUrl::parse(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return Error{"'" + std::string(text) + "' is not an absolute URL"};
  const boost::urls::url_view& url = *parsed;
  if (!url.has_authority() || url.host().empty()) {
    return Error{"'" + std::string(text) + "' has no host"};
  }
  EndpointUrl endpoint;
  endpoint.scheme = lowercase(url.scheme());
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4:
      endpoint.host = url.host_address();
      endpoint.loopback = (url.host_ipv4_address().to_uint() >> 24) == 127;
      break;
    case boost::urls::host_type::ipv6:
      endpoint.host = url.host_address();
      endpoint.loopback = url.host_ipv6_address().is_loopback();
      break;
    case boost::urls::host_type::name:
      endpoint.host = url.host_address();
      endpoint.loopback = lowercase(endpoint.host) == "localhost";
      break;
    default:
      return Error{"'" + std::string(text) + "' has a host form Kutsu cannot connect to"};
  }
  return endpoint;
}

}  // namespace kutsu::config::detail
