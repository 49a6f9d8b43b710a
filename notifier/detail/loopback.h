// Whether a URL points at this machine only (127.0.0.0/8, ::1, localhost):
// the one case where sending SMTP without TLS is acceptable.
#pragma once

#include <boost/url/url_view.hpp>

namespace kutsu::notifier::detail {

inline bool is_loopback_host(const boost::urls::url_view& url) {
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4:
      return url.host_ipv4_address().is_loopback();
    case boost::urls::host_type::ipv6:
      return url.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name:
      return url.host_name() == "localhost";
    default:
      return false;
  }
}

}  // namespace kutsu::notifier::detail
