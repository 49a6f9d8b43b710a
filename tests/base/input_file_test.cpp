// read_input_file: only regular files, and only up to their kind's bound —
// the names that used to hang or fill memory (/dev/zero, a FIFO) are errors.
#include "base/input_file.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/fixtures/temp_dir.h"

namespace kutsu {
namespace {

using testing::TempDir;

constexpr InputFileKind kSmall{"a test file", 16};

TEST(InputFile, ReadsARegularFileWhole) {
  TempDir dir;
  const auto file = dir.write("a.toml", "id = \"a\"\n");
  Result<std::string> text = read_input_file(file, kSeriesFile);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "id = \"a\"\n");
}

TEST(InputFile, AFileAtTheBoundIsRead) {
  TempDir dir;
  const auto file = dir.write("sixteen", std::string(16, 'x'));
  EXPECT_TRUE(read_input_file(file, kSmall).ok());
}

TEST(InputFile, AFileOverTheBoundIsRefusedByItsSize) {
  TempDir dir;
  const auto file = dir.write("seventeen", std::string(17, 'x'));
  Result<std::string> text = read_input_file(file, kSmall);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message,
            "'" + file.string() + "' is larger than 16 bytes, the most a test file may be");
}

TEST(InputFile, EndlessDevicesAreRefusedByTheirType) {
  for (const char* device : {"/dev/zero", "/dev/urandom"}) {
    Result<std::string> text = read_input_file(device, kParticipantsCsv);
    ASSERT_FALSE(text.ok()) << device;
    EXPECT_EQ(text.error().message,
              std::string("cannot read '") + device + "': it is a device, not a regular file");
  }
}

TEST(InputFile, AFifoIsRefusedWithoutWaitingForAWriter) {
  TempDir dir;
  const auto fifo = dir.path() / "x.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Blocking here (no writer ever comes) would hang the test until ctest's timeout.
  Result<std::string> text = read_input_file(fifo, kSeriesFile);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message,
            "cannot read '" + fifo.string() + "': it is a named pipe (FIFO), not a regular file");
}

TEST(InputFile, AFolderAndAMissingFileAreNamed) {
  TempDir dir;
  Result<std::string> folder = read_input_file(dir.path(), kSeriesFile);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message,
            "cannot read '" + dir.path().string() + "': it is a folder, not a file");
  Result<std::string> missing = read_input_file(dir.path() / "nope.csv", kSeriesFile);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read '" + (dir.path() / "nope.csv").string() + "': No such file or directory");
}

TEST(InputFile, SizesAreSaidTheWayPeopleSayThem) {
  EXPECT_EQ(describe_size(2 * 1024 * 1024), "2 MiB");
  EXPECT_EQ(describe_size(256 * 1024), "256 KiB");
  EXPECT_EQ(describe_size(1000), "1000 bytes");
}

}  // namespace
}  // namespace kutsu
