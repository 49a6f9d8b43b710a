// Helpers for the agenda tests: parse series text written inline in a test
// and look at what a user would see (the printed diagnostics).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "agenda/series_parser.h"

namespace kutsu::agenda::testing {

// Parses `toml` as if read from "series.toml" in the current directory.
inline SeriesLoad parse(std::string_view toml,
                        std::optional<std::string_view> participants_csv = std::nullopt) {
  return parse_series(toml, "series.toml", participants_csv);
}

// A valid four-line series head followed by `rest` (so sessions in `rest`
// start on line 5).
inline std::string series_with(std::string_view rest) {
  return "id = \"s\"\n"
         "title = \"T\"\n"
         "timezone = \"Europe/Helsinki\"\n"
         "organiser = { email = \"o@example.org\" }\n" +
         std::string(rest);
}

// Every diagnostic as printed: "series.toml:3:1: error: …".
inline std::vector<std::string> printed(const SeriesLoad& load) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : load.diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

inline std::vector<std::string> errors_in(std::string_view toml) { return printed(parse(toml)); }

// The parsed series, failing the test (with the diagnostics) if it has any.
inline Series valid_series(std::string_view toml,
                           std::optional<std::string_view> participants_csv = std::nullopt) {
  SeriesLoad load = parse(toml, participants_csv);
  EXPECT_EQ(printed(load), std::vector<std::string>{});
  EXPECT_TRUE(load.series.has_value());
  return load.series ? std::move(*load.series) : Series{};
}

}  // namespace kutsu::agenda::testing
