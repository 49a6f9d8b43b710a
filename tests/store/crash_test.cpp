// Survives kill -9 at any instant: a real child process writes batches the way
// the daemon does and is SIGKILLed at random moments, again and again. After
// every kill the database must open, pass PRAGMA integrity_check, and hold
// every batch whole or not at all — including every batch the child had
// reported as committed.
#include <signal.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/fixtures/child_process.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::ChildProcess;
using testing::TempDir;

constexpr int kBatchSize = 500;  // as in crash_writer.cpp
constexpr int kKills = 10;

struct Reported {
  std::set<int> planned;
  std::set<int> recorded;
};

void read_report(const std::string& out, Reported& reported) {
  std::istringstream lines(out);
  std::string word;
  int k = 0;
  while (lines >> word) {
    if (word == "ready") continue;
    ASSERT_TRUE(lines >> k) << "after '" << word << "'";
    if (word == "planned") reported.planned.insert(k);
    if (word == "recorded") reported.recorded.insert(k);
  }
}

struct BatchState {
  std::int64_t rows = 0;
  std::set<std::string> states;
  std::int64_t attempt_count = 0;  // sum of notifications.attempts
  std::int64_t attempt_rows = 0;   // rows in the attempts table
};

// Reads the database with a plain connection of its own, outside the Outbox.
std::map<int, BatchState> inspect(const std::filesystem::path& file, std::string& integrity) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto each_row = [&](const char* sql, auto&& on_row) {
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) on_row(statement);
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_finalize(statement), SQLITE_OK);
  };
  auto text = [](sqlite3_stmt* s, int column) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, column)));
  };
  auto batch_of = [&](sqlite3_stmt* s) { return std::stoi(text(s, 0).substr(6)); };

  each_row("PRAGMA integrity_check", [&](sqlite3_stmt* s) { integrity += text(s, 0); });
  std::map<int, BatchState> batches;
  each_row(
      "SELECT series_id, state, count(*), sum(attempts) FROM notifications"
      " GROUP BY series_id, state",
      [&](sqlite3_stmt* s) {
        BatchState& batch = batches[batch_of(s)];
        batch.states.insert(text(s, 1));
        batch.rows += sqlite3_column_int64(s, 2);
        batch.attempt_count += sqlite3_column_int64(s, 3);
      });
  each_row(
      "SELECT n.series_id, count(*) FROM attempts a JOIN notifications n"
      " ON n.id = a.notification_id GROUP BY n.series_id",
      [&](sqlite3_stmt* s) { batches[batch_of(s)].attempt_rows = sqlite3_column_int64(s, 1); });
  EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
  return batches;
}

TEST(CrashSafety, EveryBatchIsWholeAfterKill9AtRandomMoments) {
  TempDir dir;
  const std::filesystem::path file = outbox_file(dir.path());
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  Reported reported;
  int killed_mid_batch = 0;

  for (int kill = 0; kill < kKills; ++kill) {
    ChildProcess writer({.argv = {STORE_CRASH_WRITER, file.string()}});
    // It first finishes what the previous run left ("recorded K"), then is ready.
    std::optional<std::string> line;
    while ((line = writer.read_line(30s)) && *line != "ready") {
    }
    ASSERT_EQ(line, "ready") << writer.stderr_text();
    // Let it commit a few batches, then kill it a random moment later. The
    // delay only chooses the instant of the kill; nothing waits on it.
    const int lines = std::uniform_int_distribution(1, 8)(random);
    for (int i = 0; i < lines; ++i) ASSERT_TRUE(writer.read_line(30s)) << writer.stderr_text();
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution(0, 4000)(random)));
    writer.send_signal(SIGKILL);
    ASSERT_EQ(writer.wait(30s), 128 + SIGKILL) << writer.stderr_text();
    read_report(writer.stdout_text(), reported);

    std::string integrity;
    std::map<int, BatchState> batches = inspect(file, integrity);
    ASSERT_EQ(integrity, "ok") << "after kill " << kill;
    for (const auto& [k, batch] : batches) {
      SCOPED_TRACE("batch " + std::to_string(k) + " after kill " + std::to_string(kill));
      EXPECT_EQ(batch.rows, kBatchSize);  // a plan is whole or absent
      // Claimed together and recorded together: one state per batch.
      ASSERT_EQ(batch.states.size(), 1u);
      const std::string& state = *batch.states.begin();
      if (state == "sent") {
        EXPECT_EQ(batch.attempt_count, kBatchSize);
        EXPECT_EQ(batch.attempt_rows, kBatchSize);
      } else {
        EXPECT_TRUE(state == "pending" || state == "sending") << state;
        EXPECT_EQ(batch.attempt_rows, 0);
        ++killed_mid_batch;
      }
    }
    for (int k : reported.planned) EXPECT_TRUE(batches.contains(k)) << "planned batch " << k;
    for (int k : reported.recorded) {
      EXPECT_EQ(batches[k].states, std::set<std::string>{"sent"}) << "recorded batch " << k;
    }
    // And the outbox itself opens on it.
    Result<Outbox> outbox = Outbox::open(file);
    ASSERT_TRUE(outbox.ok()) << outbox.error().message;
  }
  EXPECT_GE(reported.recorded.size(), static_cast<std::size_t>(kKills));
  RecordProperty("batches_killed_between_plan_and_record", killed_mid_batch);
}

}  // namespace
}  // namespace kutsu::store
