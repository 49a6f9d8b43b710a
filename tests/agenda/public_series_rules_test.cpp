// `public` (agenda-format.md, series keys): true lists the series on the
// public event calendar; absent or false keeps it off.
#include <gtest/gtest.h>

#include "agenda/series_parser.h"
#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::series_with;
using testing::valid_series;
using Lines = std::vector<std::string>;

constexpr std::string_view kSession =
    "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = 2022-02-02T18:00:00\nend = 2022-02-02T19:30:00\n";

TEST(PublicSeriesRules, OnlyTrueMakesASeriesPublic) {
  EXPECT_FALSE(valid_series(series_with(std::string(kSession))).is_public);
  EXPECT_FALSE(valid_series(series_with("public = false\n" + std::string(kSession))).is_public);
  EXPECT_TRUE(valid_series(series_with("public = true\n" + std::string(kSession))).is_public);
}

TEST(PublicSeriesRules, IsABoolean) {
  EXPECT_EQ(errors_in(series_with("public = \"yes\"\n" + std::string(kSession))),
            (Lines{"series.toml:5:10: error: 'public' must be a boolean (true or false), not a string"}));
}

}  // namespace
}  // namespace kutsu::agenda
