// The PostgreSQL outbox's migrations against a real server: a fresh
// database reaches the newest version, migrating again or from several
// connections at once changes nothing and fails nothing, a newer database is
// refused, and a failing step leaves the database at a whole step with the
// lock let go.
#include "store/pg/pg_schema.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/fixtures/postgres_cluster.h"
#include "tests/store/pg_test_support.h"

namespace kutsu::store::pg {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::PostgresCluster;
using testing::connect;
using testing::query;
using testing::run_until;
using Clock = std::chrono::steady_clock;

class PgSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = PostgresCluster::shared().fresh_database();
    ASSERT_TRUE(connect(io_, connection_, uri_).ok());
  }

  Result<int> migrate_now(PgConnection& connection,
                          std::span<const PgMigration> steps = pg_outbox_migrations()) {
    std::optional<Result<int>> got;
    migrate(connection, steps, 5s, [&](Result<int> version) { got = std::move(version); });
    if (!run_until(io_, [&] { return got.has_value(); })) return Error{"migrate did not answer"};
    return *got;
  }

  // Every table's columns with their types, and every index: what a second
  // migration must leave exactly as it was.
  std::string schema_dump() {
    Result<PgRows> rows = query(
        io_, connection_,
        "SELECT string_agg(line, E'\\n' ORDER BY line) FROM ("
        " SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line"
        " FROM information_schema.columns WHERE table_schema = 'public'"
        " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') lines");
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() && rows->at(0, 0) ? *rows->at(0, 0) : "";
  }

  int stored_version() {
    Result<PgRows> rows = query(io_, connection_, "SELECT version FROM schema_version");
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() ? std::stoi(*rows->at(0, 0)) : -1;
  }

  boost::asio::io_context io_;
  std::string uri_;
  PgConnection connection_{io_};
};

TEST_F(PgSchemaTest, AFreshDatabaseReachesTheNewestVersion) {
  const int newest = pg_outbox_migrations().back().version;
  Result<int> version = migrate_now(connection_);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, newest);
  EXPECT_EQ(stored_version(), newest);

  Result<PgRows> tables = query(io_, connection_,
                                "SELECT table_name FROM information_schema.tables"
                                " WHERE table_schema = 'public' ORDER BY table_name");
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  std::vector<std::string> names;
  for (const auto& row : tables->rows) names.push_back(*row[0]);
  EXPECT_EQ(names, (std::vector<std::string>{"attempts", "node_series", "nodes", "notifications",
                                             "opt_outs", "plan_digests", "plan_generation",
                                             "schema_version", "series_versions",
                                             "session_versions", "settings"}));
  const std::string dump = schema_dump();
  for (const char* column : {"notifications.claimed_by text YES",
                             "notifications.lease_until timestamp with time zone YES",
                             "notifications.series_version text NO", "attempts.node text NO",
                             "nodes.heartbeat_at timestamp with time zone NO",
                             "node_series.content_hash text NO", "opt_outs.scope text NO",
                             "settings.value text NO", "plan_digests.digest text NO"}) {
    EXPECT_NE(dump.find(column), std::string::npos) << column << " missing from\n" << dump;
  }
}

TEST_F(PgSchemaTest, TheSchemaKeepsClaimsWhole) {
  ASSERT_TRUE(migrate_now(connection_).ok());
  const std::string insert =
      "INSERT INTO notifications (id, series_id, kind, channel, recipient, due, session_start,"
      " state, created_at, updated_at, series_version, claimed_by, lease_until)"
      " VALUES ($1, 's', 'invitation', 'email', 'a@example.org', 100, 200, $2, 1, 1, 'hash', $3,"
      " clock_timestamp() + $4::interval)";
  const std::string id(32, 'a');
  EXPECT_TRUE(query(io_, connection_, insert, {id, "sending", "node-a", "60 seconds"}).ok());
  Result<PgRows> no_lease =
      query(io_, connection_, insert, {std::string(32, 'b'), "sending", "node-a", std::nullopt});
  ASSERT_FALSE(no_lease.ok());
  EXPECT_EQ(sqlstate(no_lease.error()), "23514");  // check_violation
  Result<PgRows> bad_state =
      query(io_, connection_, insert, {std::string(32, 'c'), "lost", std::nullopt, std::nullopt});
  ASSERT_FALSE(bad_state.ok());
  EXPECT_EQ(sqlstate(bad_state.error()), "23514");
}

TEST_F(PgSchemaTest, MigratingAgainChangesNothing) {
  Result<int> first = migrate_now(connection_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string before = schema_dump();
  Result<int> second = migrate_now(connection_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(schema_dump(), before);
}

TEST_F(PgSchemaTest, NodesStartingTogetherMigrateOnceBetweenThem) {
  // Four nodes at once. The first step is slow, so without the lock the
  // others would run it too (and fail on its CREATE TABLE); the second
  // would fail if applied twice.
  constexpr std::array<PgMigration, 2> steps = {
      PgMigration{1, "CREATE TABLE t (x int); SELECT pg_sleep(0.3)"},
      PgMigration{2, "ALTER TABLE t ADD COLUMN y int"},
  };
  std::vector<std::unique_ptr<PgConnection>> nodes;
  std::vector<std::optional<Result<int>>> results(4);
  for (std::size_t i = 0; i < results.size(); ++i) {
    nodes.push_back(std::make_unique<PgConnection>(io_));
    nodes.back()->async_connect(uri_, 5s, [](Status) {});
    migrate(*nodes.back(), steps, 5s, [&results, i](Result<int> version) { results[i] = version; });
  }
  ASSERT_TRUE(run_until(io_, [&] {
    for (const auto& result : results) {
      if (!result) return false;
    }
    return true;
  }));
  for (const auto& result : results) {
    ASSERT_TRUE(result->ok()) << result->error().message;
    EXPECT_EQ(**result, 2);
  }
  EXPECT_EQ(stored_version(), 2);

  // And the real schema the same way, on a database of its own.
  const std::string other = PostgresCluster::shared().fresh_database();
  std::vector<std::unique_ptr<PgConnection>> more;
  std::vector<std::optional<Result<int>>> outbox(3);
  for (std::size_t i = 0; i < outbox.size(); ++i) {
    more.push_back(std::make_unique<PgConnection>(io_));
    more.back()->async_connect(other, 5s, [](Status) {});
    migrate(*more.back(), 5s, [&outbox, i](Result<int> version) { outbox[i] = version; });
  }
  ASSERT_TRUE(run_until(io_, [&] { return outbox[0] && outbox[1] && outbox[2]; }));
  for (const auto& result : outbox) {
    ASSERT_TRUE(result->ok()) << result->error().message;
    EXPECT_EQ(**result, pg_outbox_migrations().back().version);
  }
}

TEST_F(PgSchemaTest, ADatabaseOfANewerKutsuIsRefusedUnchanged) {
  ASSERT_TRUE(migrate_now(connection_).ok());
  ASSERT_TRUE(query(io_, connection_, "UPDATE schema_version SET version = 99").ok());
  const std::string before = schema_dump();
  Result<int> refused = migrate_now(connection_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_NE(refused.error().message.find("schema version 99"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(schema_dump(), before);
  // The lock was let go: another node gets it at once.
  PgConnection other(io_);
  ASSERT_TRUE(connect(io_, other, uri_).ok());
  Result<PgRows> free = query(io_, other, "SELECT pg_try_advisory_lock($1)",
                              {std::to_string(kSchemaLock)});
  ASSERT_TRUE(free.ok()) << free.error().message;
  EXPECT_EQ(free->at(0, 0), "t");
}

TEST_F(PgSchemaTest, AFailingStepLeavesTheLastWholeStepAndLetsGoOfTheLock) {
  constexpr std::array<PgMigration, 3> steps = {
      PgMigration{1, "CREATE TABLE t (x int)"},
      PgMigration{2, "CREATE TABLE u (y int); ALTER TABLE t ADD COLUMN x int"},  // x exists
      PgMigration{3, "CREATE TABLE v (z int)"},
  };
  Result<int> failed = migrate_now(connection_, steps);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::invalid);
  EXPECT_NE(failed.error().message.find("schema step 2"), std::string::npos) << failed.error().message;
  EXPECT_EQ(stored_version(), 1);
  Result<PgRows> u = query(io_, connection_, "SELECT to_regclass('u') IS NULL");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->at(0, 0), "t");  // step 2's first statement went back with it

  PgConnection other(io_);
  ASSERT_TRUE(connect(io_, other, uri_).ok());
  Result<PgRows> free = query(io_, other, "SELECT pg_try_advisory_lock($1)",
                              {std::to_string(kSchemaLock)});
  ASSERT_TRUE(free.ok()) << free.error().message;
  EXPECT_EQ(free->at(0, 0), "t");
}

}  // namespace
}  // namespace kutsu::store::pg
