// The admin address `kutsu serve` leaves in its state_dir and `kutsu status`
// and `kutsu store copy` read: written whole, read back, removed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "console/admin_address_file.h"
#include "tests/config/config_test_support.h"

namespace kutsu::console {
namespace {

using config::testing::ConfigDir;

TEST(AdminAddressFile, WrittenAsOneLineAndReadBack) {
  ConfigDir dir;
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", 40123}));
  std::ifstream in(admin_address_path(dir.path()), std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(text, "127.0.0.1:40123\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / ".admin-address.tmp"));
  Result<std::string> read = read_admin_address(dir.path());
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, "127.0.0.1:40123");
}

TEST(AdminAddressFile, ASecondWriteReplacesTheFirst) {
  ConfigDir dir;
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", 1}));
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", 2}));
  EXPECT_EQ(*read_admin_address(dir.path()), "127.0.0.1:2");
}

TEST(AdminAddressFile, AMissingFileSaysTheDaemonSeemsNotToRun) {
  ConfigDir dir;
  Result<std::string> read = read_admin_address(dir.path());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::not_found);
  EXPECT_EQ(read.error().message, "no daemon has said where it listens ('" +
                                      (dir.path() / "admin-address").string() +
                                      "' is missing): is kutsu serve running with this config?");
}

TEST(AdminAddressFile, AnEmptyFileIsInvalid) {
  ConfigDir dir;
  dir.write("admin-address", "");
  Result<std::string> read = read_admin_address(dir.path());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::invalid);
}

TEST(AdminAddressFile, RemovedAndRemovingAgainIsNoError) {
  ConfigDir dir;
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", 8470}));
  EXPECT_TRUE(remove_admin_address(dir.path()));
  EXPECT_FALSE(std::filesystem::exists(admin_address_path(dir.path())));
  EXPECT_TRUE(remove_admin_address(dir.path()));
}

TEST(AdminAddressFile, AnUnwritableStateDirIsAnErrorNamingThePath) {
  ConfigDir dir;
  const std::filesystem::path missing = dir.path() / "no-such-dir";
  Status written = write_admin_address(missing, ListenAddress{"127.0.0.1", 8470});
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::unavailable);
  EXPECT_NE(written.error().message.find((missing / ".admin-address.tmp").string()),
            std::string::npos);
}

}  // namespace
}  // namespace kutsu::console
