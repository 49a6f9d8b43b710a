// OutputBuffer: `kutsu plan` writing a million lines into a pipe or a file,
// where the first failed write (a full disk) must be reported, not lost.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "console/output_buffer.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::console {
namespace {

TEST(OutputBuffer, WritesEverythingInOrderAcrossChunks) {
  testing::TempDir dir;
  const std::string file = (dir.path() / "plan.txt").string();
  std::FILE* out = std::fopen(file.c_str(), "w");
  ASSERT_NE(out, nullptr);
  std::string expected;
  {
    OutputBuffer buffer(out);
    for (int line = 0; line < 20'000; ++line) {
      const std::string text = "line " + std::to_string(line);
      buffer.append(text);
      buffer.append('\n');
      expected += text + '\n';
    }
    ASSERT_TRUE(buffer.finish());
  }
  ASSERT_EQ(std::fclose(out), 0);
  std::FILE* in = std::fopen(file.c_str(), "r");
  ASSERT_NE(in, nullptr);
  std::string written(expected.size() + 1, '\0');
  written.resize(std::fread(written.data(), 1, written.size(), in));
  std::fclose(in);
  EXPECT_EQ(written, expected);
}

TEST(OutputBuffer, AFullDiskIsReportedByFinish) {
  std::FILE* out = std::fopen("/dev/full", "w");
  ASSERT_NE(out, nullptr);
  OutputBuffer buffer(out);
  for (int line = 0; line < 20'000; ++line) buffer.append("a line of the plan\n");
  Status finished = buffer.finish();
  std::fclose(out);
  ASSERT_FALSE(finished);
  EXPECT_NE(finished.error().message.find("No space left on device"), std::string::npos)
      << finished.error().message;
}

}  // namespace
}  // namespace kutsu::console
