// Opening the outbox: the file's settings, the schema version, refusing a
// newer database, and errors that name the path.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "store/detail/database.h"
#include "store/detail/schema.h"
#include "store/outbox.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using testing::feb;
using testing::planned;
using testing::TempDir;

// Runs one statement on a connection of our own, returning the first column of
// the first row as text ("" when no row).
std::string query(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  EXPECT_EQ(sqlite3_finalize(statement), SQLITE_OK);
  EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
  return value;
}

// SQLite's plan for `sql`, one step per line.
std::string query_plan(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  EXPECT_EQ(sqlite3_prepare_v2(db, explain.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string plan;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    plan += '\n';
  }
  EXPECT_EQ(sqlite3_finalize(statement), SQLITE_OK);
  EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
  return plan;
}

TEST(OutboxOpen, CreatesTheDatabaseInWalModeAtTheCurrentSchemaVersion) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  EXPECT_EQ(file, dir.path() / "kutsu.db");
  {
    Result<Outbox> outbox = Outbox::open(file);
    ASSERT_TRUE(outbox.ok()) << outbox.error().message;
    EXPECT_EQ(outbox->file(), file);
  }
  EXPECT_EQ(query(file, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query(file, "PRAGMA user_version"), std::to_string(Outbox::schema_version()));
  EXPECT_EQ(query(file, "PRAGMA integrity_check"), "ok");
}

TEST(OutboxOpen, KeepsWhatWasStoredAcrossReopening) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  {
    Result<Outbox> outbox = Outbox::open(file);
    ASSERT_TRUE(outbox.ok());
    std::vector rows{planned(1, feb(2, 17)), planned(2, feb(1, 18))};
    ASSERT_TRUE(outbox->apply_plan("s", rows, feb(1)).ok());
  }
  Result<Outbox> reopened = Outbox::open(file);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  Result<std::optional<Instant>> next = reopened->next_due();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value(), feb(1, 18));
  Result<StateCounts> counts = reopened->state_counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[NotificationState::pending], 2);
}

TEST(OutboxOpen, UpgradesAVersion1DatabaseKeepingWhatItHeld) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  {  // A file as the first release wrote it: schema version 1 only.
    detail::Database db = detail::Database::open(file);
    ASSERT_TRUE(detail::migrate(db, detail::outbox_migrations().first(1)).ok());
    db.exec("INSERT INTO session_versions VALUES ('s', 'verkosto', 1643817600, 1643823000, 1, 0)");
  }
  EXPECT_EQ(query(file, "PRAGMA user_version"), "1");

  Result<Outbox> outbox = Outbox::open(file);
  ASSERT_TRUE(outbox.ok()) << outbox.error().message;
  EXPECT_EQ(query(file, "PRAGMA user_version"), std::to_string(Outbox::schema_version()));
  const SessionVersion kept{"s", "verkosto", feb(2, 16), feb(2, 17, 30), 1, false};
  EXPECT_EQ(outbox->session_version("s", "verkosto").value(), kept);
  // Claiming reads the (state, due, id) index in order, sorting nothing.
  EXPECT_EQ(query_plan(file,
                       "SELECT rowid FROM notifications WHERE state = 'pending' AND due <= 5"
                       " ORDER BY due, id LIMIT 64"),
            "SEARCH notifications USING COVERING INDEX notifications_by_state_due "
            "(state=? AND due<?)\n");
}

TEST(OutboxOpen, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  ASSERT_TRUE(Outbox::open(file).ok());
  const int newer = Outbox::schema_version() + 1;
  query(file, "PRAGMA user_version = " + std::to_string(newer));

  Result<Outbox> outbox = Outbox::open(file);
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.error().message,
            file.string() + " has schema version " + std::to_string(newer) +
                ", newer than this Kutsu understands (" + std::to_string(Outbox::schema_version()) +
                "); refusing to open it (use the newer Kutsu or restore a backup)");
  EXPECT_EQ(outbox.error().code, ErrorCode::conflict);
  // Refusing changed nothing.
  EXPECT_EQ(query(file, "PRAGMA user_version"), std::to_string(newer));
}

TEST(OutboxOpen, AMissingFolderIsAnErrorNamingThePath) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "no-such-folder" / "kutsu.db";
  Result<Outbox> outbox = Outbox::open(file);
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.error().message,
            "opening the outbox " + file.string() + ": the outbox file cannot be opened (cannot open " +
                file.string() + ": unable to open database file)");
  EXPECT_EQ(outbox.error().code, ErrorCode::unavailable);
}

TEST(OutboxOpen, AFileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a database, it is a shopping list: maito, leipä, kahvi\n", f);
    ASSERT_EQ(std::fclose(f), 0);
  }
  Result<Outbox> outbox = Outbox::open(file);
  ASSERT_FALSE(outbox.ok());
  EXPECT_NE(outbox.error().message.find("file is not a database"), std::string::npos)
      << outbox.error().message;
}

TEST(OutboxOpen, IsMovableAndStillWorksAfterTheMove) {
  TempDir dir;
  Result<Outbox> opened = Outbox::open(outbox_file(dir.path()));
  ASSERT_TRUE(opened.ok());
  Outbox first = std::move(opened).value();
  Outbox second = std::move(first);
  std::vector rows{planned(1, feb(2, 17))};
  EXPECT_TRUE(second.apply_plan("s", rows, feb(1)).ok());
  EXPECT_EQ(second.next_due().value(), feb(2, 17));
}

}  // namespace
}  // namespace kutsu::store
