#include "base/diagnostic.h"

#include <gtest/gtest.h>

namespace kutsu {
namespace {

TEST(Diagnostic, PrintsFileLineColumn) {
  Diagnostic d{"series.toml", {12, 7}, "unknown key 'titel'"};
  EXPECT_EQ(d.to_string(), "series.toml:12:7: error: unknown key 'titel'");
}

TEST(Diagnostic, DropsUnknownColumnAndLine) {
  EXPECT_EQ((Diagnostic{"p.csv", {3, 0}, "bad"}).to_string(), "p.csv:3: error: bad");
  EXPECT_EQ((Diagnostic{"p.csv", {}, "missing"}).to_string(), "p.csv: error: missing");
}

}  // namespace
}  // namespace kutsu
