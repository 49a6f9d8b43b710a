// libFuzzer target: bytes → base::parse_toml_document, the bounds scanner
// and toml++ behind it. Any input must give a table or diagnostics, never a
// crash, a hang or unbounded memory (the 50,000-part dotted key is a seed).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/toml_document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kutsu::DiagnosticSink sink("fuzz.toml");
  static_cast<void>(kutsu::parse_toml_document(
      std::string_view(reinterpret_cast<const char*>(data), size), sink));
  return 0;
}
