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

#include "importer/detail/utf8.h"
#include "importer/ics_import.h"
#include "importer/series_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = kutsu::importer::import_ics(text, "fuzz.ics", kutsu::importer::ImportOptions{});
  if (!load.draft) {
    if (load.diagnostics.empty()) std::abort();  // neither a draft nor a reason
    return 0;
  }
  const std::string toml = kutsu::importer::write_series_toml(*load.draft);
  if (kutsu::importer::detail::first_invalid_utf8(text) != std::string_view::npos) return 0;
  try {
    static_cast<void>(toml::parse(toml));
  } catch (const toml::parse_error& error) {
    std::fprintf(stderr, "%s\n--- in ---\n%s\n", std::string(error.description()).c_str(), toml.c_str());
    std::abort();
  }
  return 0;
}
