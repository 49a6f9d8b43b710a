#include "admin/status_page.h"

namespace kutsu::admin {
namespace {

// admin/page/status.html with its stylesheet and script inlined, as a string
// literal written at build time by admin/page/embed_page.cmake.
constexpr std::string_view kStatusPage =
#include "admin/page/status_page.inc"
    ;

}  // namespace

std::string_view status_page_html() { return kStatusPage; }

}  // namespace kutsu::admin
