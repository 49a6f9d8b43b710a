// PgConnection against a real PostgreSQL 15 server (tests/fixtures/
// postgres_cluster.h): queries, errors, order, LISTEN/NOTIFY, timeouts and a
// server that goes away — and that the event loop keeps turning throughout.
#include "store/pg/pg_connection.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
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

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = PostgresCluster::shared().fresh_database();
    ASSERT_TRUE(connect(io_, connection_, uri_).ok());
  }

  boost::asio::io_context io_;
  std::string uri_;
  PgConnection connection_{io_};
};

TEST_F(PgConnectionTest, RunsAQueryWithTextParametersNullAndUtf8) {
  Result<PgRows> rows = query(io_, connection_,
                              "SELECT $1::text AS word, length($1) AS letters, $2::int + 1 AS next,"
                              " $3::text IS NULL AS missing, $3::text AS nothing",
                              {"Hyvää päivää ä", "41", std::nullopt});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"word", "letters", "next", "missing", "nothing"}));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0, 0), "Hyvää päivää ä");
  EXPECT_EQ(rows->at(0, 1), "14");  // characters, not bytes: the server speaks UTF-8 with us
  EXPECT_EQ(rows->at(0, 2), "42");
  EXPECT_EQ(rows->at(0, 3), "t");
  EXPECT_EQ(rows->at(0, 4), std::nullopt);
  EXPECT_EQ(rows->command, "SELECT 1");
  EXPECT_EQ(rows->affected, 1);
  EXPECT_GT(connection_.backend_pid(), 0);
}

TEST_F(PgConnectionTest, CountsTheRowsACommandChanged) {
  ASSERT_TRUE(query(io_, connection_, "CREATE TABLE words (word text)").ok());
  Result<PgRows> inserted = query(io_, connection_,
                                  "INSERT INTO words SELECT 'sana' || g FROM generate_series(1, 7) g");
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  EXPECT_EQ(inserted->affected, 7);
  EXPECT_TRUE(inserted->empty());
  Result<PgRows> deleted = query(io_, connection_, "DELETE FROM words WHERE word > $1", {"sana5"});
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(deleted->affected, 2);
  EXPECT_EQ(deleted->command, "DELETE 2");
}

TEST_F(PgConnectionTest, ALargeResultComesWhole) {
  Result<PgRows> rows = query(io_, connection_,
                              "SELECT g, repeat('ä', 100) FROM generate_series(1, 100000) g");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 100000u);
  EXPECT_EQ(rows->at(99999, 0), "100000");
  EXPECT_EQ(rows->at(99999, 1)->size(), 200u);  // 100 two-byte letters
}

TEST_F(PgConnectionTest, AParameterLargerThanTheSocketTakesIsWrittenAsItDrains) {
  // 16 MB: PQflush says "more to write" many times, and each time the
  // connection waits for the socket to take more, in the loop.
  std::string big(16 * 1024 * 1024, 'k');
  std::optional<Result<PgRows>> small;
  Result<PgRows> rows = [&] {
    std::optional<Result<PgRows>> got;
    connection_.async_query("SELECT length($1), md5($1)", {big}, 10s,
                            [&](Result<PgRows> answer) { got = std::move(answer); });
    connection_.async_query("SELECT 'after'", {}, 10s,
                            [&](Result<PgRows> answer) { small = std::move(answer); });
    EXPECT_TRUE(run_until(io_, [&] { return got.has_value(); }, 15s));
    return got ? std::move(*got) : Result<PgRows>(Error{"no answer"});
  }();
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->at(0, 0), std::to_string(big.size()));
  ASSERT_TRUE(run_until(io_, [&] { return small.has_value(); }));
  ASSERT_TRUE(small->ok());
  EXPECT_EQ(small->value().at(0, 0), "after");
}

TEST_F(PgConnectionTest, AnSqlErrorIsInvalidWithItsSqlstateAndTheConnectionGoesOn) {
  Result<PgRows> missing = query(io_, connection_, "SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::invalid);
  EXPECT_EQ(sqlstate(missing.error()), "42P01");
  EXPECT_NE(missing.error().message.find("no_such_table"), std::string::npos) << missing.error().message;

  Result<PgRows> syntax = query(io_, connection_, "SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(sqlstate(syntax.error()), "42601");

  Result<PgRows> bad_number = query(io_, connection_, "SELECT $1::int", {"yksi"});
  ASSERT_FALSE(bad_number.ok());
  EXPECT_EQ(sqlstate(bad_number.error()), "22P02");

  EXPECT_TRUE(connection_.is_open());
  Result<PgRows> after = query(io_, connection_, "SELECT 1");
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->at(0, 0), "1");
}

TEST_F(PgConnectionTest, AScriptRunsSeveralStatementsAsOneTransaction) {
  Result<PgRows> made = [&] {
    std::optional<Result<PgRows>> got;
    connection_.async_script("CREATE TABLE a (x int); INSERT INTO a VALUES (1), (2); SELECT sum(x) FROM a",
                             5s, [&](Result<PgRows> rows) { got = std::move(rows); });
    EXPECT_TRUE(run_until(io_, [&] { return got.has_value(); }));
    return std::move(*got);
  }();
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->at(0, 0), "3");  // the last statement's rows

  std::optional<Result<PgRows>> failed;
  connection_.async_script("INSERT INTO a VALUES (3); SELECT 1/0", 5s,
                           [&](Result<PgRows> rows) { failed = std::move(rows); });
  ASSERT_TRUE(run_until(io_, [&] { return failed.has_value(); }));
  ASSERT_FALSE(failed->ok());
  EXPECT_EQ(sqlstate(failed->error()), "22012");
  Result<PgRows> sum = query(io_, connection_, "SELECT sum(x) FROM a");
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  EXPECT_EQ(sum->at(0, 0), "3");  // the insert before the error was rolled back with it
}

TEST_F(PgConnectionTest, QueriesAskedForTogetherAnswerInOrder) {
  // Asked for before the connection is open, while it runs others, and from
  // inside a handler: each waits for its turn.
  PgConnection fresh(io_);
  std::vector<std::string> answers;
  std::optional<Status> opened;
  fresh.async_connect(uri_, 5s, [&](Status status) { opened = status; });
  for (int i = 0; i < 40; ++i) {
    std::string sql = i == 17 ? "SELECT $1::int / 0" : "SELECT $1::int";
    fresh.async_query(sql, {std::to_string(i)}, 5s, [&, i](Result<PgRows> rows) {
      answers.push_back(rows ? *rows->at(0, 0) : "error " + std::string(sqlstate(rows.error())));
      if (i == 39) {
        fresh.async_query("SELECT 'last'", {}, 5s,
                          [&](Result<PgRows> last) { answers.push_back(*last->at(0, 0)); });
      }
    });
  }
  EXPECT_EQ(fresh.pending(), 40u);
  ASSERT_TRUE(run_until(io_, [&] { return answers.size() == 41; }));
  ASSERT_TRUE(opened && opened->ok());
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(answers[i], i == 17 ? "error 22012" : std::to_string(i)) << "answer " << i;
  }
  EXPECT_EQ(answers[40], "last");
  EXPECT_EQ(fresh.pending(), 0u);
}

TEST_F(PgConnectionTest, ListenHearsANotifyFromAnotherConnection) {
  std::vector<PgNotification> heard;
  connection_.on_notification([&](const PgNotification& note) { heard.push_back(note); });
  std::optional<Status> listening;
  connection_.async_listen("kutsu wake-up", 5s, [&](Status status) { listening = status; });
  ASSERT_TRUE(run_until(io_, [&] { return listening.has_value(); }));
  ASSERT_TRUE(listening->ok()) << listening->error().message;

  PgConnection other(io_);
  ASSERT_TRUE(connect(io_, other, uri_).ok());
  // While the listener is idle: only its socket's readiness brings it.
  ASSERT_TRUE(query(io_, other, "SELECT pg_notify($1, $2)", {"kutsu wake-up", "sarja ä 1"}).ok());
  ASSERT_TRUE(run_until(io_, [&] { return heard.size() == 1; }, 5s));
  EXPECT_EQ(heard[0].channel, "kutsu wake-up");
  EXPECT_EQ(heard[0].payload, "sarja ä 1");
  EXPECT_EQ(heard[0].sender_pid, other.backend_pid());

  // While the listener runs a query of its own: it comes with the answer.
  std::optional<Result<PgRows>> slow;
  connection_.async_query("SELECT pg_sleep(0.2)", {}, 5s,
                          [&](Result<PgRows> rows) { slow = std::move(rows); });
  ASSERT_TRUE(query(io_, other, "NOTIFY \"kutsu wake-up\", 'toinen'").ok());
  ASSERT_TRUE(run_until(io_, [&] { return slow.has_value() && heard.size() == 2; }, 5s));
  EXPECT_TRUE(slow->ok());
  EXPECT_EQ(heard[1].payload, "toinen");
}

TEST_F(PgConnectionTest, TheLoopKeepsTurningWhileASlowQueryRuns) {
  // A 10 ms ticker on the same loop: had anything waited for the server
  // in the loop's thread, it would miss half a second of ticks.
  boost::asio::steady_timer ticker(io_);
  int ticks = 0;
  Clock::duration longest_gap{};
  Clock::time_point last_tick = Clock::now();
  std::function<void()> tick = [&] {
    ticker.expires_after(10ms);
    ticker.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      const auto now = Clock::now();
      longest_gap = std::max(longest_gap, now - last_tick);
      last_tick = now;
      ++ticks;
      tick();
    });
  };
  tick();
  const auto started = Clock::now();
  Result<PgRows> slept = query(io_, connection_, "SELECT pg_sleep(0.5)");
  const auto took = Clock::now() - started;
  ticker.cancel();
  ASSERT_TRUE(slept.ok()) << slept.error().message;
  EXPECT_GE(took, 500ms);
  EXPECT_GE(ticks, 20) << "the loop ticked only " << ticks << " times in "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  EXPECT_LT(longest_gap, 200ms);
}

TEST_F(PgConnectionTest, AQueryPastItsTimeoutFailsUnavailableAndClosesTheConnection) {
  std::optional<Error> lost;
  connection_.on_lost([&](const Error& error) { lost = error; });
  std::optional<Result<PgRows>> slow, behind;
  const auto started = Clock::now();
  connection_.async_query("SELECT pg_sleep(10)", {}, 300ms,
                          [&](Result<PgRows> rows) { slow = std::move(rows); });
  connection_.async_query("SELECT 1", {}, 5s, [&](Result<PgRows> rows) { behind = std::move(rows); });
  ASSERT_TRUE(run_until(io_, [&] { return slow && behind && lost; }, 5s));
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 1500ms);
  ASSERT_FALSE(slow->ok());
  EXPECT_EQ(slow->error().code, ErrorCode::unavailable);
  EXPECT_NE(slow->error().message.find("within 300 ms"), std::string::npos) << slow->error().message;
  ASSERT_FALSE(behind->ok());
  EXPECT_EQ(behind->error().code, ErrorCode::unavailable);
  EXPECT_FALSE(connection_.is_open());

  // Opened again, it works.
  ASSERT_TRUE(connect(io_, connection_, uri_).ok());
  EXPECT_TRUE(query(io_, connection_, "SELECT 1").ok());
}

TEST_F(PgConnectionTest, AQueryWaitingItsTurnTooLongFailsAloneAndTheConnectionStays) {
  std::optional<Result<PgRows>> slow, impatient;
  connection_.async_query("SELECT pg_sleep(0.4)", {}, 5s,
                          [&](Result<PgRows> rows) { slow = std::move(rows); });
  connection_.async_query("SELECT 1", {}, 100ms, [&](Result<PgRows> rows) { impatient = std::move(rows); });
  ASSERT_TRUE(run_until(io_, [&] { return impatient.has_value(); }, 5s));
  EXPECT_FALSE(slow.has_value());
  ASSERT_FALSE(impatient->ok());
  EXPECT_EQ(impatient->error().code, ErrorCode::unavailable);
  ASSERT_TRUE(run_until(io_, [&] { return slow.has_value(); }, 5s));
  EXPECT_TRUE(slow->ok());
  EXPECT_TRUE(connection_.is_open());
}

TEST_F(PgConnectionTest, CloseFailsWhatIsPendingAndDestroyingAbandonsIt) {
  std::optional<Result<PgRows>> closed;
  connection_.async_query("SELECT pg_sleep(5)", {}, 10s,
                          [&](Result<PgRows> rows) { closed = std::move(rows); });
  connection_.close();
  EXPECT_FALSE(closed.has_value());  // never inside close()
  ASSERT_TRUE(run_until(io_, [&] { return closed.has_value(); }, 1s));
  EXPECT_EQ(closed->error().code, ErrorCode::unavailable);

  bool called = false;
  {
    PgConnection doomed(io_);
    ASSERT_TRUE(connect(io_, doomed, uri_).ok());
    doomed.async_query("SELECT pg_sleep(5)", {}, 10s, [&](Result<PgRows>) { called = true; });
    io_.poll();
  }
  io_.restart();
  io_.poll();
  EXPECT_FALSE(called);
}

TEST(PgConnection, ABadUriIsInvalidAndAQueryWithoutAConnectionUnavailable) {
  boost::asio::io_context io;
  PgConnection connection(io);
  Status bad = connect(io, connection, "postgresql://[nonsense");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid);
  Result<PgRows> rows = query(io, connection, "SELECT 1");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, ErrorCode::unavailable);
}

// A server of its own: these stop it and freeze it.
TEST(PgConnectionOutage, AServerGoingAwayFailsQueriesUnavailableWithinTheirTimeout) {
  PostgresCluster cluster;
  const std::string uri = cluster.create_database("outage");
  boost::asio::io_context io;
  PgConnection connection(io);
  ASSERT_TRUE(connect(io, connection, uri).ok());
  std::optional<Error> lost;
  connection.on_lost([&](const Error& error) { lost = error; });
  std::optional<Result<PgRows>> running;
  connection.async_query("SELECT pg_sleep(20)", {}, 3s,
                         [&](Result<PgRows> rows) { running = std::move(rows); });
  io.poll();  // sent

  cluster.stop();  // fast shutdown: the server ends every session
  const auto started = Clock::now();
  ASSERT_TRUE(run_until(io, [&] { return running && lost; }, 5s));
  EXPECT_LT(Clock::now() - started, 2s);
  ASSERT_FALSE(running->ok());
  EXPECT_EQ(running->error().code, ErrorCode::unavailable) << running->error().message;
  EXPECT_FALSE(connection.is_open());

  // Nothing is listening now: a connect fails at once, as unavailable.
  Status refused = connect(io, connection, uri);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable) << refused.error().message;
  EXPECT_EQ(query(io, connection, "SELECT 1").error().code, ErrorCode::unavailable);

  // Back again: the same connection object opens and works.
  cluster.start();
  ASSERT_TRUE(connect(io, connection, uri).ok());
  EXPECT_TRUE(query(io, connection, "SELECT 1").ok());

  // A server that takes the connection and never answers: the connect's
  // own timeout ends it.
  connection.close();
  ASSERT_EQ(::kill(cluster.pid(), SIGSTOP), 0);
  std::optional<Status> frozen;
  const auto tried = Clock::now();
  connection.async_connect(uri, 300ms, [&](Status status) { frozen = status; });
  const bool answered = run_until(io, [&] { return frozen.has_value(); }, 5s);
  ::kill(cluster.pid(), SIGCONT);
  ASSERT_TRUE(answered);
  EXPECT_GE(Clock::now() - tried, 300ms);
  EXPECT_LT(Clock::now() - tried, 1500ms);
  ASSERT_FALSE(frozen->ok());
  EXPECT_EQ(frozen->error().code, ErrorCode::unavailable);
  EXPECT_NE(frozen->error().message.find("within 300 ms"), std::string::npos) << frozen->error().message;
}

// Figures for the README, not limits (the machine is shared): how long a
// cluster takes to start, a database to make, and a round trip.
TEST(PgConnectionFigures, RoundTrips) {
  const auto started = Clock::now();
  PostgresCluster& cluster = PostgresCluster::shared();
  const auto cluster_ready = Clock::now();
  const std::string uri = cluster.fresh_database();
  const auto database_ready = Clock::now();
  boost::asio::io_context io;
  PgConnection connection(io);
  ASSERT_TRUE(connect(io, connection, uri).ok());
  const auto connected = Clock::now();
  constexpr int kQueries = 2000;
  int answered = 0;
  for (int i = 0; i < kQueries; ++i) {
    ASSERT_TRUE(query(io, connection, "SELECT $1::int", {std::to_string(i)}).ok());
    ++answered;
  }
  const auto done = Clock::now();
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("cluster (shared, may already run) %.1f ms, database %.1f ms, connect %.1f ms, "
              "round trip %.3f ms (mean of %d)\n",
              ms(cluster_ready - started), ms(database_ready - cluster_ready),
              ms(connected - database_ready), ms(done - connected) / kQueries, answered);
  EXPECT_LT(ms(done - connected) / kQueries, 20.0);
}

}  // namespace
}  // namespace kutsu::store::pg
