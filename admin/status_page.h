// The status page served at GET /: one self-contained HTML document (its
// style and script inline, no framework, nothing fetched from elsewhere)
// that asks for the admin token once, keeps it in sessionStorage for the
// browser session, and reads everything it shows from /api/v1/*.
// The page's source is admin/page/status.html, compiled into the binary.
#pragma once

#include <string_view>

namespace kutsu::admin {

std::string_view status_page_html();

}  // namespace kutsu::admin
