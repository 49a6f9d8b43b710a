#include "agenda/detail/https_link.h"

#include <boost/url/parse.hpp>

namespace kutsu::agenda::detail {

bool is_https_link(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return false;
  return url->scheme_id() == boost::urls::scheme::https && url->has_authority() &&
         !url->encoded_host().empty();
}

void check_join_url(const std::optional<Located<std::string>>& url, DiagnosticSink& sink) {
  if (url && !is_https_link(url->value)) {
    sink.error(url->pos, "join link '" + url->value + "' must be an https:// URL");
  }
}

}  // namespace kutsu::agenda::detail
