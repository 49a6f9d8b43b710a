// Text from series files and participants put into the server's own HTML
// pages (the public calendar, the opt-out page): escaped for element
// content and quoted attribute values alike.
#pragma once

#include <string>
#include <string_view>

namespace kutsu::admin::detail {

std::string html_escaped(std::string_view text);

}  // namespace kutsu::admin::detail
