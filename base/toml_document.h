// Parsing a TOML file from outside (a series file, kutsu.toml) within bounds
// that keep toml++ safe.
//
// toml++ recurses once per part of a dotted key: `[a.a.a.…]` with 50,000
// parts overflows the stack and kills the process, whichever series it
// belongs to. Before toml++ sees the text, a small scanner that knows TOML's
// strings, comments, tables and inline tables checks:
//   - every line is at most kMaxTomlLineBytes long;
//   - every key (in `key = value`, `[table]`, `[[array]]` and inside inline
//     tables) has at most kMaxTomlKeyParts dotted parts;
//   - arrays and inline tables nest at most kMaxTomlNesting deep.
// The file's size is bounded when it is read (base/input_file.h). A text
// that passes is handed to toml++; any problem, the scanner's or toml++'s,
// is one diagnostic at its line and column.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <toml++/toml.h>

#include "base/diagnostic_sink.h"

namespace kutsu {

inline constexpr std::size_t kMaxTomlLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxTomlKeyParts = 32;
inline constexpr std::size_t kMaxTomlNesting = 32;

// The first place where `text` exceeds a bound, with the sentence to say.
struct TomlBoundsProblem {
  SourcePos pos;
  std::string message;
};
std::optional<TomlBoundsProblem> check_toml_bounds(std::string_view text);

// The root table, or nothing with the problem reported to `sink` (whose file
// name is also the source name toml++ puts in its positions).
std::optional<toml::table> parse_toml_document(std::string_view text, DiagnosticSink& sink);

}  // namespace kutsu
