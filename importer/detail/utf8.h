// UTF-8 validation for the importers: everything after import_file() may
// assume valid UTF-8 (the TOML the writer produces must be UTF-8, and TOML
// strings cannot hold stray bytes).
#pragma once

#include <cstddef>
#include <string_view>

namespace kutsu::importer::detail {

// The offset of the first byte where `text` stops being UTF-8 (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, a code
// point above U+10FFFF), or npos when all of it is UTF-8.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace kutsu::importer::detail
