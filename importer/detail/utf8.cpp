#include "importer/detail/utf8.h"

namespace kutsu::importer::detail {

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int follow = 0;
    unsigned int code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      follow = 1;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      follow = 2;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      follow = 3;
      code = c & 0x07;
    } else {
      return i;
    }
    for (int k = 1; k <= follow; ++k) {
      if (i + k >= text.size()) return i;
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points above U+10FFFF.
    if ((follow == 2 && code < 0x800) || (follow == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return i;
    }
    i += follow + 1;
  }
  return std::string_view::npos;
}

std::string repaired_utf8(std::string_view text) {
  std::string repaired;
  std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string_view::npos) return std::string(text);
  repaired.reserve(text.size() + 8);
  while (bad != std::string_view::npos) {
    repaired.append(text.substr(0, bad));
    repaired.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
    text.remove_prefix(bad + 1);
    bad = first_invalid_utf8(text);
  }
  repaired.append(text);
  return repaired;
}

}  // namespace kutsu::importer::detail
