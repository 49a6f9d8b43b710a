// Join links: every link an organiser writes (series, session, participant)
// must be an absolute https URL with a host. The link goes to every recipient,
// so a plain-http or malformed one is an error, never sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {

// Parses with Boost.URL (RFC 3986): spaces, line breaks and other characters
// that cannot appear in a URI make it invalid too.
bool is_https_link(std::string_view text);

// Reports a written link (`join_url` of the series or a session) that is not.
void check_join_url(const std::optional<Located<std::string>>& url, DiagnosticSink& sink);

}  // namespace kutsu::agenda::detail
