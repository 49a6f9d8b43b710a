// Migrations: each step whole or not at all, versions remembered, newer refused.
#include <gtest/gtest.h>

#include <array>

#include "store/detail/database.h"
#include "store/detail/schema.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store::detail {
namespace {

using testing::TempDir;

constexpr std::array kGoodSteps = {
    Migration{1, "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"},
    Migration{2, "CREATE TABLE b (y INTEGER);"},
};

// Step 2 creates a table, then fails on its second statement.
constexpr std::array kBrokenSecondStep = {
    Migration{1, "CREATE TABLE a (x INTEGER);"},
    Migration{2, "CREATE TABLE b (y INTEGER); INSERT INTO no_such_table VALUES (1);"},
};

std::int64_t tables_named(Database& db, std::string_view name) {
  Statement count = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?1");
  count.bind(1, name);
  EXPECT_TRUE(count.step());
  return count.integer(0);
}

TEST(Schema, AppliesEveryStepAndRemembersTheVersion) {
  TempDir dir;
  Database db = Database::open(dir.path() / "t.db");
  ASSERT_TRUE(migrate(db, kGoodSteps).ok());
  EXPECT_EQ(db.query_integer("PRAGMA user_version"), 2);
  EXPECT_EQ(tables_named(db, "a"), 1);
  EXPECT_EQ(tables_named(db, "b"), 1);
  // Again: nothing to do, and step 1's INSERT does not run twice.
  ASSERT_TRUE(migrate(db, kGoodSteps).ok());
  EXPECT_EQ(db.query_integer("SELECT count(*) FROM a"), 1);
}

TEST(Schema, AppliesOnlyTheStepsNewerThanTheDatabase) {
  TempDir dir;
  Database db = Database::open(dir.path() / "t.db");
  ASSERT_TRUE(migrate(db, std::span(kGoodSteps).first(1)).ok());
  EXPECT_EQ(db.query_integer("PRAGMA user_version"), 1);
  EXPECT_EQ(tables_named(db, "b"), 0);
  ASSERT_TRUE(migrate(db, kGoodSteps).ok());
  EXPECT_EQ(db.query_integer("PRAGMA user_version"), 2);
  EXPECT_EQ(db.query_integer("SELECT count(*) FROM a"), 1);
  EXPECT_EQ(tables_named(db, "b"), 1);
}

TEST(Schema, AFailingStepLeavesTheDatabaseAtTheLastWholeStep) {
  TempDir dir;
  Database db = Database::open(dir.path() / "t.db");
  try {
    static_cast<void>(migrate(db, kBrokenSecondStep));
    FAIL() << "the broken step did not fail";
  } catch (const SqliteError& error) {
    EXPECT_NE(std::string(error.what()).find("no such table: no_such_table"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(db.query_integer("PRAGMA user_version"), 1);
  EXPECT_EQ(tables_named(db, "a"), 1);
  EXPECT_EQ(tables_named(db, "b"), 0);  // step 2's first statement was rolled back
}

TEST(Schema, RefusesADatabaseNewerThanTheLastStep) {
  TempDir dir;
  Database db = Database::open(dir.path() / "t.db");
  db.exec("PRAGMA user_version = 3");
  Status status = migrate(db, kGoodSteps);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            (dir.path() / "t.db").string() +
                " has schema version 3, newer than this Kutsu understands (2); refusing to open "
                "it (use the newer Kutsu or restore a backup)");
  EXPECT_EQ(status.error().code, ErrorCode::conflict);
  EXPECT_EQ(tables_named(db, "a"), 0);
}

TEST(Schema, TheOutboxStepsAreNumberedOneByOne) {
  int expected = 1;
  for (const Migration& step : outbox_migrations()) EXPECT_EQ(step.version, expected++);
}

}  // namespace
}  // namespace kutsu::store::detail
