#include "importer/detail/windows_zone.h"

#include <unicode/ucal.h>
#include <unicode/ustring.h>

namespace kutsu::importer::detail {
namespace {

std::optional<std::string> lookup(const std::u16string& windows_id, const char* region) {
  UChar id[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = ucal_getTimeZoneIDForWindowsID(reinterpret_cast<const UChar*>(windows_id.data()),
                                                        static_cast<int32_t>(windows_id.size()), region, id,
                                                        static_cast<int32_t>(std::size(id)), &status);
  if (U_FAILURE(status) || length <= 0 || length >= static_cast<int32_t>(std::size(id))) return std::nullopt;
  std::string out;
  for (int32_t i = 0; i < length; ++i) {
    if (id[i] >= 0x80) return std::nullopt;  // zone ids are ASCII
    out += static_cast<char>(id[i]);
  }
  return out;
}

}  // namespace

std::optional<std::string> iana_for_windows_zone(std::string_view windows_name,
                                                 const std::vector<std::string>& regions) {
  if (windows_name.empty() || windows_name.size() > 100) return std::nullopt;
  std::u16string id;
  for (char c : windows_name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || byte < 0x20) return std::nullopt;  // Windows zone names are ASCII
    id += static_cast<char16_t>(byte);
  }
  for (const std::string& region : regions) {
    if (auto found = lookup(id, region.c_str())) return found;
  }
  return lookup(id, nullptr);
}

}  // namespace kutsu::importer::detail
