// The cache of compiled statements: one statement per SQL text comes back
// reset and without its parameters, a second copy or one over the bound is
// finalized, and a Database hands the same compiled statement out again.
#include "store/detail/statement_cache.h"

#include <gtest/gtest.h>

#include "store/detail/database.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::store::detail {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override { ASSERT_EQ(sqlite3_close(db_), SQLITE_OK) << "a statement leaked"; }

  sqlite3_stmt* compile(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK);
    return statement;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(StatementCacheTest, GivesTheSameStatementBackResetAndWithoutParameters) {
  StatementCache cache;
  sqlite3_stmt* select = compile("SELECT ?1");
  ASSERT_EQ(sqlite3_bind_int(select, 1, 42), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(select), SQLITE_ROW);
  cache.give_back(select);
  EXPECT_EQ(cache.take("SELECT ?2"), nullptr);
  sqlite3_stmt* again = cache.take("SELECT ?1");
  ASSERT_EQ(again, select);
  EXPECT_EQ(cache.take("SELECT ?1"), nullptr);  // handed out: no longer idle
  ASSERT_EQ(sqlite3_step(again), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_type(again, 0), SQLITE_NULL);  // the 42 is gone
  cache.give_back(again);
}

TEST_F(StatementCacheTest, FinalizesASecondCopyAndAnythingOverTheBound) {
  {
    StatementCache cache;
    cache.give_back(compile("SELECT 1"));
    cache.give_back(compile("SELECT 1"));
    EXPECT_EQ(cache.size(), 1u);
    for (std::size_t i = 0; i < StatementCache::kCapacity + 10; ++i) {
      cache.give_back(compile("SELECT " + std::to_string(i + 2)));
    }
    EXPECT_EQ(cache.size(), StatementCache::kCapacity);
  }  // the rest finalized here, or TearDown's close fails
}

TEST(DatabaseStatements, ReusedStatementsSeeNewDataAndOldParametersAreGone) {
  kutsu::testing::TempDir dir;
  Database db = Database::open(dir.path() / "t.db");
  db.exec("CREATE TABLE t (x INTEGER)");
  for (int i = 0; i < 3; ++i) {
    db.prepare("INSERT INTO t (x) VALUES (?1)").bind(1, std::int64_t{i}).run();
    Statement count = db.prepare("SELECT count(*), sum(x) FROM t WHERE ?1 IS NULL OR x >= ?1");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.integer(0), i + 1);  // nothing left over from the last use
  }
  Database moved = std::move(db);
  EXPECT_EQ(moved.query_integer("SELECT count(*) FROM t"), 3);
}

}  // namespace
}  // namespace kutsu::store::detail
