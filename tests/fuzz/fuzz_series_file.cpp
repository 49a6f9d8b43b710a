// libFuzzer target: a whole series file and its participants CSV →
// agenda::parse_series. The input is the TOML, then optionally a NUL byte and
// the CSV text, so that one corpus entry exercises both and their checks
// across each other (roles, languages, audience), and recurring sessions
// (RRULEs read and expanded by libical, date lists, occurrence changes).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "agenda/series_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  const std::string_view toml = input.substr(0, split);
  const std::string_view csv =
      split == std::string_view::npos ? std::string_view("email,name\n") : input.substr(split + 1);
  // A fixed horizon: recurring rules expand the same way on every run.
  static const kutsu::agenda::SeriesOptions options{
      kutsu::agenda::PlanUntil{date::local_days{date::year{2027} / 12 / 31}}};
  static_cast<void>(kutsu::agenda::parse_series(toml, "/nonexistent/fuzz.toml", csv, options));
  return 0;
}
