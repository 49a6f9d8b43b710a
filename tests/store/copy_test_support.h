// Shared by the store copy tests (tests/store) and the `kutsu store copy`
// command's tests (tests/daemon): an SQLite outbox with something in every
// table and every state a stopped daemon leaves (all but `sending`), and a
// dump of every copied table, value by value in row order, to compare two
// outboxes field by field.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/copy/copy_tables.h"
#include "store/outbox.h"
#include "tests/store/store_test_support.h"

namespace kutsu::store::copy_testing {

using testing::feb;
using testing::id_of;

inline PlannedNotification row(unsigned long long n, Instant due) {
  PlannedNotification planned = testing::planned(n, due);
  planned.session_start = feb(9, 18);
  return planned;
}

// Text that an array literal, COPY or a bound parameter could mangle.
inline const std::string kAwkward = "451 \"busy\" \\ {a,b} NULL\ttab\nline ääkköset 🙂";

// Fills the outbox at `file` (created if missing): series "s" with rows
// pending, sent, retrying, failed, missed, superseded, opted out, retried
// after failing, an invitation to a webhook with no session or offset;
// series "t" with one row; their versions (one failed load), a moved and
// cancelled session, opt-outs, the opt-out key and plan generation 2.
// Returns the opt-out key.
inline std::string fill_outbox(const std::filesystem::path& file) {
  Result<Outbox> opened = Outbox::open(file);
  if (!opened) {
    ADD_FAILURE() << opened.error().message;
    return {};
  }
  Outbox& outbox = *opened;
  auto ok = [](const auto& result) {
    if (!result) ADD_FAILURE() << result.error().message;
  };
  PlannedNotification invitation = row(9, feb(8, 9));
  invitation.session_id.reset();
  invitation.kind = "invitation";
  invitation.offset.reset();
  invitation.channel = "webhook";
  invitation.recipient = "tiimi";
  invitation.session_start = Instant{};
  // Due 10:00 … 10:03 are claimed below; the rest are later.
  std::vector<PlannedNotification> s = {
      row(1, feb(8, 12)),    row(2, feb(1, 10)), row(3, feb(1, 10, 1)),
      row(4, feb(1, 10, 2)), row(5, feb(7, 12)), row(6, feb(7, 13)),
      row(7, feb(1, 10, 3)), row(8, feb(7, 14)), invitation};
  ok(outbox.apply_plan("s", s, feb(1, 9)));
  ok(outbox.apply_plan("t", std::vector<PlannedNotification>{row(20, feb(9, 12))}, feb(1, 9, 30)));

  Result<std::vector<NotificationRow>> claimed = outbox.claim_due(feb(1, 11), 10);
  ok(claimed);
  if (claimed && claimed->size() != 4) ADD_FAILURE() << claimed->size() << " rows claimed, not 4";
  std::vector<RecordedAttempt> results = {
      {id_of(2),
       {feb(1, 11, 1), AttemptResult::sent(250, "2.0.0 Ok: queued as ABC")},
       std::nullopt},
      {id_of(3), {feb(1, 11, 2), AttemptResult::retry(451, kAwkward)}, feb(1, 12)},
      {id_of(4), {feb(1, 11, 3), AttemptResult::permanent(550, "no such user")}, std::nullopt},
      {id_of(7), {feb(1, 11, 4), AttemptResult::retry("connection refused")}, std::nullopt}};
  ok(outbox.record_results(results));
  ok(outbox.retry(id_of(7), feb(1, 11, 5)));
  ok(outbox.mark_missed(std::vector<std::string>{id_of(5)}, feb(7, 13)));
  ok(outbox.opt_out(OptOut{"s", "matti8@example.org", OptOutScope::reminders, feb(1, 11, 6)}));
  ok(outbox.opt_out(OptOut{"t", "someone@example.org", OptOutScope::all, feb(1, 11, 7)}));

  // A second reload: generation 2, row 6 no longer wanted, row 1 moved.
  ok(outbox.next_plan_generation());
  ok(outbox.next_plan_generation());
  std::vector<PlannedNotification> again = {
      row(1, feb(8, 13)), row(2, feb(1, 10)),    row(3, feb(1, 10, 1)), row(4, feb(1, 10, 2)),
      row(5, feb(7, 12)), row(7, feb(1, 10, 3)), row(8, feb(7, 14)),    invitation};
  ok(outbox.apply_plan("s", again, feb(1, 12), ApplyOptions{2, 0}));

  ok(outbox.put_series_version(SeriesVersion{"s", "hash-of-s", feb(1, 12), true, ""}));
  ok(outbox.put_series_version(
      SeriesVersion{"t", "hash-of-t", feb(1, 9, 30), false, "t.toml:3:1: error: x\n" + kAwkward}));
  SessionVersion moved;
  moved.series_id = "s";
  moved.session_id = "s1";
  moved.start = feb(9, 18);
  moved.end = feb(9, 19, 30);
  moved.sequence = 2;
  moved.previous_start = feb(8, 18);
  moved.previous_end = feb(8, 19, 30);
  moved.title = "Ääni \"ja\" kuva";
  moved.changed_at = feb(1, 12);
  ok(outbox.put_session_version(moved));
  SessionVersion gone = moved;
  gone.session_id = "s2";
  gone.cancelled = true;
  gone.previous_start.reset();
  gone.previous_end.reset();
  gone.removed_at = feb(1, 12);
  ok(outbox.put_session_version(gone));
  Result<std::string> key = outbox.opt_out_key();
  ok(key);
  return key ? *key : std::string();
}

// Every copied table's SQLite columns, row by row in rowid order; each value
// prefixed with its storage class (i: integer, t: text), NULL as nullopt.
// With `notifications_by_id`, the notifications in id order instead: a
// round trip through PostgreSQL, which has no rowid, keeps every row but
// not necessarily their rowid order (outbox_copy.h).
using Dump = std::map<std::string, std::vector<std::vector<std::optional<std::string>>>>;

enum class DumpOrder { rowid, notifications_by_id };

inline Dump dump_sqlite(const std::filesystem::path& file, DumpOrder order = DumpOrder::rowid) {
  Dump dump;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << file << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return dump;
  }
  for (const copy::CopyTable& table : copy::copy_tables()) {
    std::string columns;
    for (const copy::CopyColumn& column : table.columns) {
      if (column.sqlite.empty()) continue;
      columns += (columns.empty() ? "" : ", ") + std::string(column.sqlite);
    }
    const bool by_id = order == DumpOrder::notifications_by_id && table.name == "notifications";
    const std::string sql = "SELECT " + columns + " FROM " + std::string(table.name) +
                            (by_id ? " ORDER BY id" : " ORDER BY rowid");
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
      continue;
    }
    auto& rows = dump[std::string(table.name)];
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<std::optional<std::string>> values;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        const int type = sqlite3_column_type(statement, i);
        if (type == SQLITE_NULL) {
          values.push_back(std::nullopt);
          continue;
        }
        const char* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
        values.push_back(std::string(type == SQLITE_INTEGER ? "i:" : "t:") + text);
      }
      rows.push_back(std::move(values));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return dump;
}

// Fails the test at the first value that differs, naming table, row and column.
inline void expect_same(const Dump& expected, const Dump& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (const auto& [table, rows] : expected) {
    ASSERT_TRUE(actual.contains(table)) << table;
    const auto& other = actual.at(table);
    ASSERT_EQ(rows.size(), other.size()) << table;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), other[r].size()) << table << " row " << r;
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        EXPECT_EQ(rows[r][c], other[r][c]) << table << " row " << r << " column " << c;
      }
    }
  }
}

}  // namespace kutsu::store::copy_testing
