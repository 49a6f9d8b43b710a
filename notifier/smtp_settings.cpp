#include "notifier/smtp_settings.h"

#include <boost/url/parse.hpp>

#include "notifier/detail/loopback.h"

namespace kutsu::notifier {

Result<StartTls> parse_starttls(std::string_view text) {
  if (text == "required") return StartTls::required;
  if (text == "opportunistic") return StartTls::opportunistic;
  if (text == "off") return StartTls::off;
  return Error{"starttls must be \"required\", \"opportunistic\" or \"off\", not \"" +
               std::string(text) + "\""};
}

Status validate(const SmtpSettings& settings) {
  auto url = boost::urls::parse_absolute_uri(settings.url);
  if (!url) return Error{"url \"" + settings.url + "\" is not an absolute URL"};
  if (url->scheme() != "smtp" && url->scheme() != "smtps") {
    return Error{"url \"" + settings.url + "\" must start with smtp:// or smtps://"};
  }
  if (url->host().empty()) return Error{"url \"" + settings.url + "\" has no host"};
  if (settings.starttls == StartTls::off && url->scheme() == "smtp" &&
      !detail::is_loopback_host(*url)) {
    return Error{"starttls = \"off\" is allowed only for a loopback server, not " +
                 std::string(url->host())};
  }
  if (settings.max_connections < 1) return Error{"max_connections must be at least 1"};
  if (settings.timeout <= std::chrono::milliseconds::zero()) {
    return Error{"timeout must be positive"};
  }
  return {};
}

}  // namespace kutsu::notifier
