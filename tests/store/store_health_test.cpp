// A full disk under the outbox: the failures say what they are
// (ErrorCode::unavailable, "the disk holding the outbox is full"), health()
// says so until a write succeeds again, and nothing already stored is lost.
// On a real tmpfs (tests/fixtures/small_disk.h; needs root).
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "store/detail/guard.h"
#include "tests/fixtures/small_disk.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using namespace testing;
using kutsu::testing::SmallDisk;

std::vector<PlannedNotification> rows(unsigned long long first, unsigned long long count) {
  std::vector<PlannedNotification> planned_rows;
  for (unsigned long long n = first; n < first + count; ++n)
    planned_rows.push_back(planned(n, feb(2, 12)));
  return planned_rows;
}

class StoreHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SmallDisk::available()) GTEST_SKIP() << "mounting a tmpfs needs root with CAP_SYS_ADMIN (CI has it)";
    disk_.emplace();
    Result<Outbox> opened = Outbox::open(outbox_file(disk_->path()));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    outbox_.emplace(std::move(opened).value());
    ASSERT_TRUE(outbox_->apply_plan("s", rows(1, 10), feb(1)).ok());
  }

  std::optional<SmallDisk> disk_;
  std::optional<Outbox> outbox_;
};

TEST_F(StoreHealthTest, AFullDiskIsNamedAndHealthRecoversWithTheNextWrite) {
  EXPECT_TRUE(outbox_->health().ok());
  disk_->fill();
  // Thousands of new rows need pages the disk no longer has.
  Result<PlanDiff> full = outbox_->apply_plan("s", rows(1, 3000), feb(1));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::unavailable);
  EXPECT_NE(full.error().message.find("apply_plan for series s: the disk holding the outbox is "
                                      "full (database or disk is full"),
            std::string::npos)
      << full.error().message;
  ASSERT_FALSE(outbox_->health().ok());
  EXPECT_EQ(outbox_->health().problem(), full.error().message);
  EXPECT_EQ(outbox_->health().failures(), 1u);

  // Reads still work on a full disk, and prove nothing.
  Result<StateCounts> counts = outbox_->state_counts();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ((*counts)[NotificationState::pending], 10);
  EXPECT_FALSE(outbox_->health().ok());

  disk_->free_space();
  Result<PlanDiff> retried = outbox_->apply_plan("s", rows(1, 3000), feb(1));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->inserted, 2990u);
  EXPECT_TRUE(outbox_->health().ok());
  EXPECT_EQ(outbox_->health().failures(), 1u);
}

TEST_F(StoreHealthTest, RefusalsThatAreNotAboutTheDiskLeaveHealthAlone) {
  Status retried = outbox_->retry(id_of(1), feb(1));
  ASSERT_FALSE(retried.ok());
  EXPECT_NE(retried.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(outbox_->health().ok());
}

// A file that is not a database (overwritten, or read back wrong by a
// failing disk) is named as damaged, with the likely cause, not as a bare
// "file is not a database". No root needed.
TEST(StoreHealth, ADamagedFileIsNamedAsSuch) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  dir.write(file.filename().string(), std::string(64 * 1024, 'x'));
  Result<Outbox> opened = Outbox::open(file);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::unavailable);
  EXPECT_NE(opened.error().message.find("the outbox file reads as damaged; a failing disk (I/O "
                                        "errors, see the kernel log) is the usual cause"),
            std::string::npos)
      << opened.error().message;
}

// A write refused by a file system that turned read-only reaches the store
// as SQLite's bare "disk I/O error" (SQLITE_IOERR_WRITE; the EROFS behind it
// is not kept by sqlite3_system_errno for a commit): the outbox's folder,
// asked then, names it. Such a mount cannot be made under an open outbox
// (EBUSY), so a fresh tmpfs is remounted read-only and the error is the one
// the drill tests/daemon/serve_read_only_drill_test.cpp sees from SQLite.
TEST(StoreHealth, AWriteRefusedByAReadOnlyFileSystemIsNamedAsSuch) {
  if (!SmallDisk::available()) GTEST_SKIP() << "mounting a tmpfs needs root with CAP_SYS_ADMIN (CI has it)";
  SmallDisk disk;
  const std::filesystem::path file = outbox_file(disk.path());
  const detail::SqliteError refused("disk I/O error (running: UPDATE notifications …)",
                                    SQLITE_IOERR_WRITE);
  Error writable = detail::store_error("claim_due", refused, file);
  EXPECT_EQ(writable.code, ErrorCode::unavailable);
  EXPECT_EQ(writable.message,
            "claim_due: an I/O error on the disk holding the outbox (disk I/O error)");

  ASSERT_EQ(::mount(nullptr, disk.path().c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr), 0)
      << std::strerror(errno);
  Error read_only = detail::store_error("claim_due", refused, file);
  EXPECT_EQ(read_only.code, ErrorCode::unavailable);
  EXPECT_EQ(read_only.message,
            "claim_due: the file system holding the outbox is read-only (mounted so, or remounted "
            "so by the kernel after disk errors: see its log) (disk I/O error)");
  // Other failures keep their own words there.
  EXPECT_EQ(detail::store_error("claim_due", detail::SqliteError("database or disk is full", SQLITE_FULL),
                                file)
                .message,
            "claim_due: the disk holding the outbox is full (database or disk is full)");
  // Without a file (opening), nothing is asked.
  EXPECT_EQ(detail::store_error("open", refused).message,
            "open: an I/O error on the disk holding the outbox (disk I/O error)");
}

}  // namespace
}  // namespace kutsu::store
