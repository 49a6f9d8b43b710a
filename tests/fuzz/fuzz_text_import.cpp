// libFuzzer target: bytes → importer::import_text (the announcement
// tokenizer, grammar and reader) → write_series_toml. Whatever the text, the
// import of UTF-8 text ends in a draft or diagnostics, and a draft's TOML parses: the
// writer's escaping holds for every string an announcement can put in it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <toml++/toml.h>

#include "importer/detail/utf8.h"
#include "importer/series_writer.h"
#include "importer/text_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kutsu::importer::ImportOptions options;
  options.today = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // import_file() hands the importers UTF-8 only.
  if (kutsu::importer::detail::first_invalid_utf8(text) != std::string_view::npos) return 0;
  const auto load = kutsu::importer::import_text(text, "fuzz.txt", options);
  if (!load.draft) return 0;
  const std::string toml = kutsu::importer::write_series_toml(*load.draft);
  try {
    static_cast<void>(toml::parse(toml));
  } catch (const toml::parse_error& error) {
    // The writer produced TOML that does not parse.
    std::fprintf(stderr, "%s\n--- at %u:%u in ---\n%s\n", std::string(error.description()).c_str(),
                 error.source().begin.line, error.source().begin.column, toml.c_str());
    std::abort();
  }
  return 0;
}
