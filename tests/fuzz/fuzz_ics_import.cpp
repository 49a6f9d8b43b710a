// libFuzzer target: bytes → importer::import_ics (libical, the zone lookups,
// the recurrence conversion) → write_series_toml. Whatever the calendar, the
// import ends in a draft or diagnostics, never a crash, an abort inside
// libical or a hang; and for UTF-8 input (what import_file() hands over) a
// draft's TOML parses.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <toml++/toml.h>

#include "importer/ics_import.h"
#include "importer/series_writer.h"

namespace {

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int follow = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
    if (follow < 0 || i + follow >= text.size() + (follow == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= follow; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    if ((c == 0xE0 && static_cast<unsigned char>(text[i + 1]) < 0xA0) ||
        (c == 0xED && static_cast<unsigned char>(text[i + 1]) > 0x9F) ||
        (c == 0xF0 && static_cast<unsigned char>(text[i + 1]) < 0x90) ||
        (c == 0xF4 && static_cast<unsigned char>(text[i + 1]) > 0x8F)) {
      return false;
    }
    i += follow + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = kutsu::importer::import_ics(text, "fuzz.ics", kutsu::importer::ImportOptions{});
  if (!load.draft) {
    if (load.diagnostics.empty()) std::abort();  // neither a draft nor a reason
    return 0;
  }
  const std::string toml = kutsu::importer::write_series_toml(*load.draft);
  if (!is_utf8(text)) return 0;
  try {
    static_cast<void>(toml::parse(toml));
  } catch (const toml::parse_error& error) {
    std::fprintf(stderr, "%s\n--- in ---\n%s\n", std::string(error.description()).c_str(), toml.c_str());
    std::abort();
  }
  return 0;
}
