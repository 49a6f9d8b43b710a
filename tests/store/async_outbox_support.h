// Shared pieces of the AsyncOutbox tests: the two stores behind one
// interface (SQLite through LocalOutbox, PostgreSQL through PgOutbox), a
// call awaited on the loop (checking its handler never runs inside the
// call), and rows read back beside the interface.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/async_outbox.h"
#include "store/local_outbox.h"
#include "store/pg/pg_outbox.h"
#include "store/pg/pg_schema.h"
#include "store/pg/pg_text.h"
#include "tests/fixtures/postgres_cluster.h"
#include "tests/store/pg_test_support.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store::testing {

// PlannedNotifications viewed as PlannedRows.
class RowsOf final : public PlannedRows {
 public:
  explicit RowsOf(std::vector<PlannedNotification> rows) : rows_(std::move(rows)) {}
  std::size_t size() const override { return rows_.size(); }
  IdDigits id(std::size_t index) const override {
    IdDigits digits{};
    const std::string& id = rows_[index].id;
    for (std::size_t i = 0; i < digits.size() && i < id.size(); ++i) digits[i] = id[i];
    return digits;
  }
  Instant due(std::size_t index) const override { return rows_[index].due; }
  std::string_view kind(std::size_t index) const override { return rows_[index].kind; }
  std::string_view channel(std::size_t index) const override { return rows_[index].channel; }
  std::string_view recipient(std::size_t index) const override {
    return rows_[index].recipient;
  }
  PlannedNotification row(std::size_t index) const override { return rows_[index]; }

 private:
  std::vector<PlannedNotification> rows_;
};

// Runs `start(handler)` and the loop until the handler ran; fails the test
// if it ran inside the call or not at all.
template <typename T>
Result<T> await(boost::asio::io_context& io,
                const std::function<void(AsyncOutbox::Handler<T>)>& start) {
  std::optional<Result<T>> got;
  bool inside = true;
  start([&](Result<T> result) {
    EXPECT_FALSE(inside) << "the handler ran inside the call";
    EXPECT_FALSE(got.has_value()) << "the handler ran twice";
    got.emplace(std::move(result));
  });
  inside = false;
  if (!pg::testing::run_until(io, [&] { return got.has_value(); }, std::chrono::seconds(30))) {
    return Error{"the handler was not called", ErrorCode::failed};
  }
  return std::move(*got);
}

// One store under test, with its rows readable beside the interface.
class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;
  virtual AsyncOutbox& outbox() = 0;
  // Another outbox on the same store: a second connection to the SQLite
  // file, or a second node on the PostgreSQL database. Made on first use.
  virtual AsyncOutbox& another() = 0;
  virtual std::optional<NotificationRow> row(const std::string& id) = 0;
  virtual std::vector<Attempt> attempts(const std::string& id) = 0;
};

class SqliteStore final : public StoreUnderTest {
 public:
  explicit SqliteStore(boost::asio::io_context& io)
      : io_(io), sqlite_(Outbox::open(outbox_file(dir_.path())).value()), local_(io, sqlite_) {}
  AsyncOutbox& outbox() override { return local_; }
  AsyncOutbox& another() override {
    if (!other_local_) {
      other_.emplace(Outbox::open(outbox_file(dir_.path())).value());
      other_local_.emplace(io_, *other_);
    }
    return *other_local_;
  }
  std::optional<NotificationRow> row(const std::string& id) override {
    std::optional<NotificationDetail> found = sqlite_.find(id).value();
    if (!found) return std::nullopt;
    return found->row;
  }
  std::vector<Attempt> attempts(const std::string& id) override {
    return sqlite_.find(id).value()->attempts;
  }

 private:
  boost::asio::io_context& io_;
  TempDir dir_;
  Outbox sqlite_;
  LocalOutbox local_;
  std::optional<Outbox> other_;
  std::optional<LocalOutbox> other_local_;  // declared after other_: destroyed first
};

// A PostgreSQL database of the test's own, migrated; nodes() are PgOutboxes
// on it, each with its own two connections.
class PgDatabase {
 public:
  explicit PgDatabase(boost::asio::io_context& io)
      : io_(io), uri_(kutsu::testing::PostgresCluster::shared().fresh_database()), reader_(io) {
    EXPECT_TRUE(pg::testing::connect(io_, reader_, uri_).ok());
    std::optional<Result<int>> migrated;
    pg::migrate(reader_, std::chrono::seconds(10), [&](Result<int> v) { migrated = std::move(v); });
    EXPECT_TRUE(pg::testing::run_until(io_, [&] { return migrated.has_value(); }));
    EXPECT_TRUE(migrated && migrated->ok());
  }

  pg::PgOutbox& add_node(std::string name, std::chrono::milliseconds lease = std::chrono::seconds(60)) {
    auto node = std::make_unique<Node>(io_);
    EXPECT_TRUE(pg::testing::connect(io_, node->connection, uri_).ok());
    EXPECT_TRUE(pg::testing::connect(io_, node->plan_connection, uri_).ok());
    pg::PgOutboxSettings settings;
    settings.node = std::move(name);
    settings.lease = lease;
    settings.rows_per_statement = 700;  // several chunks in the larger tests
    node->outbox = std::make_unique<pg::PgOutbox>(io_, node->connection, node->plan_connection,
                                                  settings);
    nodes_.push_back(std::move(node));
    return *nodes_.back()->outbox;
  }

  Result<pg::PgRows> query(std::string sql, std::vector<pg::Param> params = {}) {
    return pg::testing::query(io_, reader_, std::move(sql), std::move(params));
  }

  std::optional<NotificationRow> row(const std::string& id) {
    Result<pg::PgRows> rows = query(
        "SELECT " + std::string(pg::kNotificationColumns) + " FROM notifications n WHERE n.id = $1",
        {id});
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    if (!rows.ok() || rows->empty()) return std::nullopt;
    return pg::notification_at(*rows, 0);
  }

  std::vector<Attempt> attempts(const std::string& id) {
    Result<pg::PgRows> rows = query(
        "SELECT at, outcome, code, detail FROM attempts WHERE notification_id = $1 ORDER BY at, ctid",
        {id});
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    std::vector<Attempt> out;
    for (std::size_t r = 0; rows.ok() && r < rows->size(); ++r) {
      AttemptResult result;
      result.outcome = *parse_attempt_outcome(pg::text_at(*rows, r, 1));
      std::optional<std::int64_t> code = pg::optional_integer_at(*rows, r, 2);
      if (code) result.code = static_cast<int>(*code);
      result.detail = pg::text_at(*rows, r, 3);
      out.push_back(Attempt{pg::instant_at(*rows, r, 0), result});
    }
    return out;
  }

 private:
  struct Node {
    explicit Node(boost::asio::io_context& io) : connection(io), plan_connection(io) {}
    pg::PgConnection connection;
    pg::PgConnection plan_connection;
    std::unique_ptr<pg::PgOutbox> outbox;  // destroyed before its connections
    ~Node() { outbox.reset(); }
  };

  boost::asio::io_context& io_;
  std::string uri_;
  pg::PgConnection reader_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

class PgStore final : public StoreUnderTest {
 public:
  explicit PgStore(boost::asio::io_context& io) : database_(io), outbox_(database_.add_node("node-a")) {}
  AsyncOutbox& outbox() override { return outbox_; }
  AsyncOutbox& another() override {
    if (!other_) other_ = &database_.add_node("node-b");
    return *other_;
  }
  std::optional<NotificationRow> row(const std::string& id) override { return database_.row(id); }
  std::vector<Attempt> attempts(const std::string& id) override { return database_.attempts(id); }

 private:
  PgDatabase database_;
  pg::PgOutbox& outbox_;
  pg::PgOutbox* other_ = nullptr;
};

// The store a contract test's parameter names: "sqlite" or "postgresql".
inline std::unique_ptr<StoreUnderTest> make_store(const std::string& kind,
                                                  boost::asio::io_context& io) {
  if (kind == "sqlite") return std::make_unique<SqliteStore>(io);
  return std::make_unique<PgStore>(io);
}

}  // namespace kutsu::store::testing
