// The background checkpoint (store/detail/checkpointer.h): a connection
// whose commits leave the write-ahead log to another thread. What shows it:
// SQLite's own automatic checkpoint is off on the committing connection,
// and the pages of a large commit reach the database file without that
// connection doing anything more.
#include "store/detail/checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/detail/database.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::store::detail {
namespace {

using namespace std::chrono_literals;

// About `pages` pages of 4 KiB in one commit.
void write_pages(Database& db, int pages) {
  Transaction transaction(db);
  Statement insert = db.prepare("INSERT INTO filler (bytes) VALUES (randomblob(4000))");
  for (int page = 0; page < pages; ++page) insert.run();
  transaction.commit();
}

Database open_in_wal_mode(const std::filesystem::path& file) {
  Database db = Database::open(file);
  EXPECT_EQ(db.query_text("PRAGMA journal_mode = WAL"), "wal");
  db.exec("CREATE TABLE IF NOT EXISTS filler (bytes BLOB)");
  return db;
}

TEST(Checkpointer, ALargeCommitReachesTheFileThroughTheCheckpointThread) {
  testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "outbox.db";
  Database db = open_in_wal_mode(file);
  db.checkpoint_in_background();
  // With a hook of its own installed, SQLite reports its automatic
  // checkpoint as off (0 pages) for this connection.
  EXPECT_EQ(db.query_integer("PRAGMA wal_autocheckpoint"), 0);

  const auto before = std::filesystem::file_size(file);
  write_pages(db, 3000);
  ASSERT_TRUE(db.checkpointer()->wait_for(1, 20s)) << "no checkpoint completed";
  EXPECT_GT(std::filesystem::file_size(file), before + 10'000'000)
      << "the 3,000 pages should be in the database file now";
  EXPECT_TRUE(db.health().ok());
}

TEST(Checkpointer, ASmallCommitAsksForNothing) {
  testing::TempDir dir;
  Database db = open_in_wal_mode(dir.path() / "outbox.db");
  db.checkpoint_in_background();
  write_pages(db, 10);
  write_pages(db, 10);
  EXPECT_FALSE(db.checkpointer()->wait_for(1, 200ms));
  EXPECT_EQ(db.checkpointer()->completed(), 0u);
}

TEST(Checkpointer, WithoutItTheCommitCheckpointsItself) {
  // The control: the same commit on a plain connection copies the log
  // before it returns, which is what the event loop must not wait for.
  testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "outbox.db";
  Database db = open_in_wal_mode(file);
  EXPECT_EQ(db.query_integer("PRAGMA wal_autocheckpoint"), 1000);
  const auto before = std::filesystem::file_size(file);
  write_pages(db, 3000);
  EXPECT_GT(std::filesystem::file_size(file), before + 10'000'000);
}

}  // namespace
}  // namespace kutsu::store::detail
