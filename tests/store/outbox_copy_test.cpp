// copy_outbox (store/copy/outbox_copy.h) between real SQLite files and a
// real PostgreSQL 15 (tests/fixtures/postgres_cluster.h): a full outbox
// goes SQLite → PostgreSQL → SQLite and comes back field by field; what it
// refuses, it refuses before writing anything; the column lists of
// copy_tables.h match both schemas.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/copy/blocking_pg.h"
#include "store/copy/copy_tables.h"
#include "store/copy/outbox_copy.h"
#include "store/detail/database.h"
#include "store/outbox.h"
#include "tests/fixtures/postgres_cluster.h"
#include "tests/fixtures/temp_dir.h"
#include "tests/store/copy_test_support.h"

namespace kutsu::store {
namespace {

using namespace std::chrono_literals;
using copy::BlockingPg;
using copy_testing::dump_sqlite;
using copy_testing::DumpOrder;
using copy_testing::expect_same;
using copy_testing::fill_outbox;
using kutsu::testing::PostgresCluster;
using kutsu::testing::TempDir;

OutboxLocation location(const std::string& text) {
  Result<OutboxLocation> parsed = parse_outbox_location(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : OutboxLocation{};
}

std::unique_ptr<BlockingPg> connect(const std::string& uri) {
  auto pg = std::make_unique<BlockingPg>(10s, 30s);
  Status connected = pg->connect(uri);
  EXPECT_TRUE(connected.ok()) << connected.error().message;
  return pg;
}

// Rows of one query, as text.
std::vector<std::vector<std::optional<std::string>>> rows_of(BlockingPg& pg, std::string sql) {
  Result<pg::PgRows> rows = pg.query(std::move(sql));
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  return rows.ok() ? rows->rows : std::vector<std::vector<std::optional<std::string>>>{};
}

class OutboxCopy : public ::testing::Test {
 protected:
  std::filesystem::path sqlite_file(const std::string& name) const { return dir_.path() / name; }
  std::string pg_database() { return PostgresCluster::shared().fresh_database(); }

  TempDir dir_;
};

TEST_F(OutboxCopy, AFullOutboxGoesToPostgresqlAndBackFieldByField) {
  const std::filesystem::path original = sqlite_file("original.db");
  const std::string key = fill_outbox(original);
  const std::string uri = pg_database();
  const std::filesystem::path back = sqlite_file("back.db");

  std::vector<CopyProgress> seen;
  CopyOptions options;
  options.batch_rows = 3;  // several batches per table
  options.on_progress = [&](const CopyProgress& progress) {
    if (progress.table == "notifications") seen.push_back(progress);
  };
  Result<CopySummary> to_pg = copy_outbox(location("sqlite:" + original.string()), location(uri), options);
  ASSERT_TRUE(to_pg.ok()) << to_pg.error().message;
  EXPECT_EQ(to_pg->rows("notifications"), 10);
  EXPECT_EQ(to_pg->rows("attempts"), 4);
  EXPECT_EQ(to_pg->rows("opt_outs"), 2);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().copied, 0);
  EXPECT_EQ(seen.back().copied, 10);
  EXPECT_EQ(seen.back().total, 10);
  EXPECT_EQ(seen.size(), 1u + 4u);  // the start, then batches of 3, 3, 3, 1

  // On PostgreSQL: what only it has is filled in as copy_tables.h says.
  auto pg = connect(uri);
  EXPECT_EQ(rows_of(*pg, "SELECT DISTINCT series_id, series_version FROM notifications ORDER BY 1"),
            (std::vector<std::vector<std::optional<std::string>>>{{"s", "hash-of-s"},
                                                                 {"t", "hash-of-t"}}));
  EXPECT_EQ(rows_of(*pg, "SELECT DISTINCT node FROM attempts"),
            (std::vector<std::vector<std::optional<std::string>>>{{""}}));
  EXPECT_EQ(rows_of(*pg, "SELECT count(*) FROM notifications WHERE claimed_by IS NOT NULL"),
            (std::vector<std::vector<std::optional<std::string>>>{{"0"}}));
  EXPECT_EQ(rows_of(*pg, "SELECT series_id, ok FROM series_versions ORDER BY 1"),
            (std::vector<std::vector<std::optional<std::string>>>{{"s", "t"}, {"t", "f"}}));
  EXPECT_EQ(rows_of(*pg, "SELECT current FROM plan_generation"),
            (std::vector<std::vector<std::optional<std::string>>>{{"2"}}));
  EXPECT_EQ(rows_of(*pg, "SELECT detail FROM attempts WHERE outcome = 'retry' AND code = 451"),
            (std::vector<std::vector<std::optional<std::string>>>{{copy_testing::kAwkward}}));

  pg.reset();  // its last statement was on the outbox: it would count as a daemon
  Result<CopySummary> to_sqlite = copy_outbox(location(uri), location(back.string()), options);
  ASSERT_TRUE(to_sqlite.ok()) << to_sqlite.error().message;
  expect_same(dump_sqlite(original, DumpOrder::notifications_by_id),
              dump_sqlite(back, DumpOrder::notifications_by_id));

  // And through the outbox's own reading.
  Result<Outbox> copied = Outbox::open(back);
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  Result<Outbox> source = Outbox::open(original);
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(copied->opt_out_key().value(), key);
  for (unsigned long long n : {1ull, 2ull, 3ull, 4ull, 5ull, 6ull, 7ull, 8ull, 9ull, 20ull}) {
    auto a = source->find(copy_testing::id_of(n)).value();
    auto b = copied->find(copy_testing::id_of(n)).value();
    ASSERT_TRUE(a && b) << n;
    EXPECT_EQ(a->row, b->row) << n;
    EXPECT_EQ(a->attempts, b->attempts) << n;
  }
  EXPECT_EQ(source->opt_outs().value(), copied->opt_outs().value());
  EXPECT_EQ(source->series_versions().value(), copied->series_versions().value());
  EXPECT_EQ(source->session_versions("s").value(), copied->session_versions("s").value());
  EXPECT_EQ(copied->next_plan_generation().value(), 3);
}

TEST_F(OutboxCopy, PostgresqlToPostgresqlAndSqliteToSqliteKeepEverything) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  const std::filesystem::path second = sqlite_file("second.db");
  ASSERT_TRUE(copy_outbox(location(original.string()), location(second.string())).ok());
  expect_same(dump_sqlite(original), dump_sqlite(second));

  const std::string a = pg_database();
  const std::string b = pg_database();
  const std::filesystem::path back = sqlite_file("back.db");
  ASSERT_TRUE(copy_outbox(location(second.string()), location(a)).ok());
  Result<CopySummary> pg_to_pg = copy_outbox(location(a), location(b));
  ASSERT_TRUE(pg_to_pg.ok()) << pg_to_pg.error().message;
  ASSERT_TRUE(copy_outbox(location(b), location(back.string())).ok());
  expect_same(dump_sqlite(original, DumpOrder::notifications_by_id),
              dump_sqlite(back, DumpOrder::notifications_by_id));
}

TEST_F(OutboxCopy, ADestinationWithNotificationsIsRefusedAndLeftAlone) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  const std::string uri = pg_database();
  ASSERT_TRUE(copy_outbox(location(original.string()), location(uri)).ok());

  Result<CopySummary> again = copy_outbox(location(original.string()), location(uri));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find("already holds 10 notifications"), std::string::npos)
      << again.error().message;

  const std::filesystem::path other = sqlite_file("other.db");
  fill_outbox(other);
  const copy_testing::Dump before = dump_sqlite(other);
  Result<CopySummary> onto_sqlite = copy_outbox(location(uri), location(other.string()));
  ASSERT_FALSE(onto_sqlite.ok());
  EXPECT_EQ(onto_sqlite.error().code, ErrorCode::conflict);
  expect_same(before, dump_sqlite(other));
}

TEST_F(OutboxCopy, ADestinationWithoutNotificationsIsTakenAsNew) {
  // A daemon started once with no series made a key and versions: replaced.
  const std::filesystem::path empty = sqlite_file("empty.db");
  {
    Outbox outbox = Outbox::open(empty).value();
    ASSERT_TRUE(outbox.opt_out_key().ok());
    ASSERT_TRUE(outbox.put_series_version(SeriesVersion{"s", "old", copy_testing::feb(1), true, ""}).ok());
  }
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  ASSERT_TRUE(copy_outbox(location(original.string()), location(empty.string())).ok());
  expect_same(dump_sqlite(original), dump_sqlite(empty));
}

TEST_F(OutboxCopy, AFailureHalfWayLeavesTheDestinationEmpty) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  const std::string uri = pg_database();
  auto pg = connect(uri);
  ASSERT_TRUE(pg->migrate().ok());
  // The attempts, written after the notifications, fail.
  ASSERT_TRUE(pg->query("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                        " $$BEGIN RAISE EXCEPTION 'no attempts today'; END$$").ok());
  ASSERT_TRUE(pg->query("CREATE TRIGGER refuse BEFORE INSERT ON attempts"
                        " FOR EACH ROW EXECUTE FUNCTION refuse()").ok());

  CopyOptions options;
  options.batch_rows = 2;
  Result<CopySummary> copied = copy_outbox(location(original.string()), location(uri), options);
  ASSERT_FALSE(copied.ok());
  EXPECT_NE(copied.error().message.find("no attempts today"), std::string::npos)
      << copied.error().message;
  EXPECT_EQ(rows_of(*pg, "SELECT count(*) FROM notifications"),
            (std::vector<std::vector<std::optional<std::string>>>{{"0"}}));
  EXPECT_EQ(rows_of(*pg, "SELECT current FROM plan_generation"),
            (std::vector<std::vector<std::optional<std::string>>>{{"0"}}));
}

TEST_F(OutboxCopy, RowsBeingSentAreRefusedBeforeTheDestinationIsMade) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  {
    Outbox outbox = Outbox::open(original).value();
    ASSERT_EQ(outbox.claim_due(copy_testing::feb(8, 12, 30), 1).value().size(), 1u);
  }
  const std::filesystem::path destination = sqlite_file("new.db");
  Result<CopySummary> copied = copy_outbox(location(original.string()), location(destination.string()));
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::conflict);
  EXPECT_NE(copied.error().message.find("1 notifications being sent"), std::string::npos)
      << copied.error().message;
  EXPECT_FALSE(std::filesystem::exists(destination));
}

TEST_F(OutboxCopy, APostgresqlOutboxWithALiveNodeIsRefused) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  const std::string uri = pg_database();
  ASSERT_TRUE(copy_outbox(location(original.string()), location(uri)).ok());
  auto pg = connect(uri);
  ASSERT_TRUE(pg->query("INSERT INTO nodes (name) VALUES ('kutsu-a')").ok());

  Result<CopySummary> copied = copy_outbox(location(uri), location(sqlite_file("new.db").string()));
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::conflict);
  EXPECT_NE(copied.error().message.find("is in use: node kutsu-a (heartbeat 0 s ago). Stop every"),
            std::string::npos)
      << copied.error().message;

  // A node that has not beaten for longer than the window is a dead one.
  ASSERT_TRUE(pg->query("UPDATE nodes SET heartbeat_at = heartbeat_at - interval '10 minutes'").ok());
  pg.reset();  // a connection that just updated nodes looks like a node itself
  EXPECT_TRUE(copy_outbox(location(uri), location(sqlite_file("new.db").string())).ok());
}

TEST_F(OutboxCopy, APostgresqlOutboxWithAnotherConnectionOnItsTablesIsRefused) {
  // A node whose lease is long heartbeats seldom; its connections show it.
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  const std::string uri = pg_database();
  ASSERT_TRUE(copy_outbox(location(original.string()), location(uri)).ok());
  auto node = connect(uri);
  ASSERT_TRUE(node->query("SELECT min(due) FROM notifications WHERE state = 'pending'").ok());

  Result<CopySummary> copied = copy_outbox(location(uri), location(sqlite_file("new.db").string()));
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::conflict);
  EXPECT_NE(copied.error().message.find("is in use: a connection from this machine (server pid "),
            std::string::npos)
      << copied.error().message;

  node.reset();
  Result<CopySummary> after = copy_outbox(location(uri), location(sqlite_file("new.db").string()));
  EXPECT_TRUE(after.ok()) << after.error().message;
}

TEST_F(OutboxCopy, TheSameOutboxAndAMissingSourceAreRefused) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  Result<CopySummary> itself =
      copy_outbox(location(original.string()), location("sqlite:" + original.string()));
  ASSERT_FALSE(itself.ok());
  EXPECT_EQ(itself.error().code, ErrorCode::invalid);

  Result<CopySummary> missing =
      copy_outbox(location(sqlite_file("none.db").string()), location(sqlite_file("x.db").string()));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "there is no SQLite outbox at " + sqlite_file("none.db").string());
  EXPECT_FALSE(std::filesystem::exists(sqlite_file("x.db")));
}

TEST_F(OutboxCopy, AnUnreachableServerIsUnavailable) {
  const std::filesystem::path original = sqlite_file("original.db");
  fill_outbox(original);
  Result<CopySummary> copied = copy_outbox(
      location(original.string()),
      location("postgresql:///kutsu?host=" + (dir_.path() / "no-server").string()));
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::unavailable);
  EXPECT_NE(copied.error().message.find("the PostgreSQL database kutsu on " + (dir_.path() / "no-server").string() +
                                      ": cannot connect to PostgreSQL"),
            std::string::npos)
      << copied.error().message;
}

TEST(OutboxLocation, ReadsEachForm) {
  TempDir dir;
  auto pg = parse_outbox_location("postgresql://kutsu@db.example.org/kutsu?sslmode=verify-full");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(pg->kind, OutboxLocation::Kind::postgresql);
  EXPECT_EQ(pg->describe(), "the PostgreSQL database kutsu on db.example.org");
  EXPECT_EQ(parse_outbox_location("postgres://h/d")->kind, OutboxLocation::Kind::postgresql);

  auto prefixed = parse_outbox_location("sqlite:/var/lib/kutsu/kutsu.db");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->kind, OutboxLocation::Kind::sqlite);
  EXPECT_EQ(prefixed->file, "/var/lib/kutsu/kutsu.db");
  EXPECT_EQ(parse_outbox_location("relative/kutsu.db")->file, "relative/kutsu.db");
  // A folder is a state_dir.
  EXPECT_EQ(parse_outbox_location(dir.path().string())->file, outbox_file(dir.path()));
}

TEST(OutboxLocation, RefusesWhatItCannotUse) {
  auto scheme = parse_outbox_location("mysql://db/kutsu");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.error().code, ErrorCode::invalid);
  EXPECT_EQ(scheme.error().message,
            "'mysql://db/kutsu' is neither a PostgreSQL URI (postgresql://…) nor an SQLite outbox "
            "(sqlite:PATH or a file path)");
  auto password = parse_outbox_location("postgresql://kutsu:secret@db/kutsu");
  ASSERT_FALSE(password.ok());
  EXPECT_EQ(password.error().message.find("secret"), std::string::npos);
  EXPECT_NE(password.error().message.find("must not contain a password"), std::string::npos);
  auto malformed = parse_outbox_location("postgresql://db/kutsu?nosuchoption=1");
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.error().message.find("is not a PostgreSQL connection URI"), std::string::npos)
      << malformed.error().message;
  EXPECT_FALSE(parse_outbox_location("").ok());
  EXPECT_FALSE(parse_outbox_location("sqlite:").ok());
}

// Every column of both schemas is either copied or named here as left out
// on purpose: a new migration that adds one fails this test until
// copy_tables.h knows what to do with it.
TEST_F(OutboxCopy, TheColumnListsCoverBothSchemas) {
  // Not copied: the first start on the copy compares every plan in full.
  std::set<std::string> expected_sqlite = {"plan_digests.series_id", "plan_digests.digest"};
  std::set<std::string> expected_pg = {
      "plan_digests.series_id", "plan_digests.digest",
      "notifications.claimed_by", "notifications.lease_until",  // live claims
      "nodes.name", "nodes.started_at", "nodes.heartbeat_at",    // running processes
      "node_series.node", "node_series.series_id", "node_series.content_hash",
      "schema_version.one", "schema_version.version"};           // migrate()'s own
  for (const copy::CopyTable& table : copy::copy_tables()) {
    for (const copy::CopyColumn& column : table.columns) {
      expected_pg.insert(std::string(table.name) + "." + std::string(column.pg));
      if (!column.sqlite.empty()) {
        expected_sqlite.insert(std::string(table.name) + "." + std::string(column.sqlite));
      }
    }
  }

  const std::filesystem::path file = sqlite_file("schema.db");
  ASSERT_TRUE(Outbox::open(file).ok());
  detail::Database db = detail::Database::open(file);
  std::set<std::string> sqlite_columns;
  detail::Statement columns = db.prepare(
      "SELECT m.name, c.name FROM sqlite_schema m, pragma_table_info(m.name) c"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'");
  while (columns.step()) sqlite_columns.insert(columns.text(0) + "." + columns.text(1));
  EXPECT_EQ(sqlite_columns, expected_sqlite);

  auto pg = connect(pg_database());
  ASSERT_TRUE(pg->migrate().ok());
  std::set<std::string> pg_columns;
  for (const auto& row : rows_of(*pg, "SELECT table_name || '.' || column_name"
                                      " FROM information_schema.columns"
                                      " WHERE table_schema = 'public'")) {
    pg_columns.insert(*row[0]);
  }
  EXPECT_EQ(pg_columns, expected_pg);
}

}  // namespace
}  // namespace kutsu::store
