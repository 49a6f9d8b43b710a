// kutsu.toml from outside is bounded like a series file: a dotted key toml++
// would recurse on until the stack overflows is an error at its line, and a
// path that is not a regular file is refused instead of read forever.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/config/config_test_support.h"

namespace kutsu::config {
namespace {

using testing::ConfigDir;

TEST(ConfigFileBounds, ALongDottedKeyIsAnErrorNotACrash) {
  ConfigDir dir;
  std::string text = "[daemon]\n[a";
  for (int i = 1; i < 50'000; ++i) text += ".a";
  ConfigLoad load = dir.load(text + "]\n");
  ASSERT_FALSE(load.config);
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].pos.line, 2);
  EXPECT_EQ(load.diagnostics[0].pos.column, 2);
  EXPECT_EQ(load.diagnostics[0].message,
            "this key has more than 32 dotted parts; a key may have at most 32");
}

TEST(ConfigFileBounds, OnlyARegularFileOfAtMostOneMebibyteIsRead) {
  ConfigLoad device = load_config("/dev/zero", ConfigEnvironment{});
  ASSERT_FALSE(device.config);
  ASSERT_EQ(device.diagnostics.size(), 1u);
  EXPECT_EQ(device.diagnostics[0].to_string(),
            "/dev/zero: error: cannot read '/dev/zero': it is a device, not a regular file");

  ConfigDir dir;
  const auto fifo = dir.path() / "fifo.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ConfigLoad pipe = load_config(fifo, ConfigEnvironment{});
  ASSERT_FALSE(pipe.config);
  ASSERT_EQ(pipe.diagnostics.size(), 1u);
  EXPECT_NE(pipe.diagnostics[0].message.find("it is a named pipe (FIFO)"), std::string::npos);

  const auto huge = dir.write("huge.toml", "# " + std::string(1024 * 1024, 'x') + "\n");
  ConfigLoad large = load_config(huge, ConfigEnvironment{});
  ASSERT_FALSE(large.config);
  ASSERT_EQ(large.diagnostics.size(), 1u);
  EXPECT_EQ(large.diagnostics[0].message,
            "'" + huge.string() + "' is larger than 1 MiB, the most the daemon config may be");
}

}  // namespace
}  // namespace kutsu::config
