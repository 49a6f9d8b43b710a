// UTF-8 validation for the importers: everything after import_file() may
// assume valid UTF-8 (the TOML the writer produces must be UTF-8, and TOML
// strings cannot hold stray bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kutsu::importer::detail {

// The offset of the first byte where `text` stops being UTF-8 (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, a code
// point above U+10FFFF), or npos when all of it is UTF-8.
std::size_t first_invalid_utf8(std::string_view text);

// `text` with each byte where it stops being UTF-8 replaced by U+FFFD. For
// what libical hands back: reading a malformed line, it may split a
// character of valid input (an unknown escape takes the byte after the
// backslash), and a draft must stay UTF-8 whatever the calendar held.
std::string repaired_utf8(std::string_view text);

}  // namespace kutsu::importer::detail
