// Outbox::apply_plan: a reload is a diff (architecture.md). The series' stored
// rows are read once (id, rowid, state, due — from one covering index), both
// sides are sorted by id and walked together like a merge, and only the
// differences are written, in due order — in one transaction, or in several short ones
// (ApplyOptions), with statements prepared once, so re-applying an
// unchanged plan of a million rows writes nothing.
//
// Sorted vectors rather than a hash map: a million random probes into a hash
// map were memory-latency bound (over half of a reload's CPU time); the merge
// reads both sides in order. The wanted side is only keys and indexes into
// the caller's PlannedRows: the daemon's restart with a million pending rows
// must fit in 300 MB, and a full copy of the plan as rows was 250 MB of it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <tuple>

#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/detail/notification_columns.h"
#include "store/detail/opt_out_filter.h"
#include "store/outbox.h"

namespace kutsu::store {
using detail::guarded;

namespace {

using detail::Statement;

// Ids are 128-bit hashes, so the sort keys are those 128 bits as two
// integers — in the digits' own order (lowercase hex sorts as its value):
// two compares per key, and 16 bytes instead of the 32 digits.
struct IdKey {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend auto operator<=>(const IdKey&, const IdKey&) = default;
};

std::optional<IdKey> key_of(std::string_view digits) {
  if (digits.size() != 32) return std::nullopt;
  IdKey key;
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = digits[i];
    std::uint64_t nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<std::uint64_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    std::uint64_t& half = i < 16 ? key.high : key.low;
    half = (half << 4) | nibble;
  }
  return key;
}

std::string text_of(const IdKey& key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(32, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    text[15 - i] = kDigits[(key.high >> (4 * i)) & 0xf];
    text[31 - i] = kDigits[(key.low >> (4 * i)) & 0xf];
  }
  return text;
}

struct WantedRow {
  IdKey key;
  std::size_t index;  // into the PlannedRows
};

struct StoredRow {
  IdKey key;
  std::int64_t rowid;
  std::int64_t due;
  NotificationState state;
  bool wanted = false;
};

// A write apply_plan decided on, made in due order (then id, so that rows
// sharing a due time are written in index order too).
struct Write {
  std::int64_t due;  // the wanted due time, Unix seconds
  IdKey key;
  std::size_t index;  // into the PlannedRows
  std::int64_t rowid = 0;  // of the stored row (reschedules and revives)
  NotificationState state = NotificationState::pending;  // the stored row's, when decided
  friend bool operator<(const Write& a, const Write& b) {
    return std::tie(a.due, a.key) < std::tie(b.due, b.key);
  }
};

// Every wanted id as a key, sorted; an id that is not 32 lowercase hex
// digits is an error naming it.
Result<std::vector<WantedRow>> sort_wanted(const PlannedRows& wanted) {
  std::vector<WantedRow> sorted;
  sorted.reserve(wanted.size());
  for (std::size_t index = 0; index < wanted.size(); ++index) {
    const IdDigits digits = wanted.id(index);
    const std::string_view text(digits.data(), digits.size());
    std::optional<IdKey> key = key_of(text);
    if (!key) {
      return Error{"notification id '" + std::string(text) + "' is not 32 lowercase hex digits",
                   ErrorCode::invalid};
    }
    sorted.push_back({*key, index});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const WantedRow& a, const WantedRow& b) { return a.key < b.key; });
  return sorted;
}

// Ready-made rows viewed as PlannedRows (their ids checked beforehand).
class PlannedRowSpan final : public PlannedRows {
 public:
  explicit PlannedRowSpan(std::span<const PlannedNotification> rows) : rows_(rows) {}

  std::size_t size() const override { return rows_.size(); }
  IdDigits id(std::size_t index) const override {
    IdDigits digits;
    std::memcpy(digits.data(), rows_[index].id.data(), digits.size());
    return digits;
  }
  Instant due(std::size_t index) const override { return rows_[index].due; }
  std::string_view kind(std::size_t index) const override { return rows_[index].kind; }
  std::string_view channel(std::size_t index) const override { return rows_[index].channel; }
  std::string_view recipient(std::size_t index) const override { return rows_[index].recipient; }
  PlannedNotification row(std::size_t index) const override { return rows_[index]; }

 private:
  std::span<const PlannedNotification> rows_;
};

std::vector<StoredRow> read_series_rows(detail::Database& db, std::string_view series_id) {
  std::vector<StoredRow> rows;
  Statement count = db.prepare("SELECT count(*) FROM notifications WHERE series_id = ?1");
  count.bind(1, series_id);
  if (count.step()) rows.reserve(static_cast<std::size_t>(count.integer(0)));

  Statement select =
      db.prepare("SELECT id, rowid, state, due FROM notifications WHERE series_id = ?1");
  select.bind(1, series_id);
  while (select.step()) {
    std::string_view id = select.text_view(0);
    std::optional<IdKey> key = key_of(id);
    std::optional<NotificationState> state = parse_notification_state(select.text_view(2));
    if (!key || !state) {
      throw detail::SqliteError("stored notification '" + std::string(id) + "' is malformed");
    }
    rows.push_back(StoredRow{*key, select.integer(1), select.integer(3), *state});
  }
  std::sort(rows.begin(), rows.end(),
            [](const StoredRow& a, const StoredRow& b) { return a.key < b.key; });
  return rows;
}

// An insert of a new id conflicted: the id is stored under another series
// (the scheduler's ids include the series, so this is a bug worth naming).
Error foreign_id(detail::Database& db, std::string_view id) {
  Statement owner = db.prepare("SELECT series_id FROM notifications WHERE id = ?1");
  owner.bind(1, id);
  std::string other = owner.step() ? owner.text(0) : std::string("?");
  return Error{"notification " + std::string(id) + " already belongs to series " + other,
               ErrorCode::conflict};
}

// The transaction of an apply: one, or a fresh one every `rows` changes
// with a pause between, in which the other connection gets the write lock.
class ChunkedTransaction {
 public:
  // `began` runs at the start of each transaction, inside it.
  ChunkedTransaction(detail::Database& db, std::size_t rows, std::function<void()> began)
      : db_(db), rows_(rows), began_(std::move(began)) {
    begin();
  }

  // After each row written. Commits after `rows` rows, or sooner when the
  // connection it yields to (Database::watch_lock_waits) waits for the lock.
  void wrote() {
    if (rows_ == 0) return;
    if (++written_ < rows_ && !db_.lock_wanted()) return;
    transaction_->commit();
    transaction_.reset();
    written_ = 0;
    // Long enough for a claim waiting in the busy handler (250 µs steps).
    std::this_thread::sleep_for(std::chrono::microseconds(500));
    begin();
  }

  void commit() { transaction_->commit(); }

 private:
  void begin() {
    transaction_.emplace(db_);
    if (began_) began_();
  }

  detail::Database& db_;
  std::size_t rows_;
  std::function<void()> began_;
  std::size_t written_ = 0;
  std::optional<detail::Transaction> transaction_;
};

std::string stored_digest(detail::Database& db, std::string_view series_id) {
  Statement select = db.prepare("SELECT digest FROM plan_digests WHERE series_id = ?1");
  select.bind(1, series_id);
  return select.step() ? select.text(0) : std::string();
}

// Empty: the plan just applied has no digest, so the one kept is stale.
void store_digest(detail::Database& db, std::string_view series_id, std::string_view digest) {
  if (digest.empty()) {
    db.prepare("DELETE FROM plan_digests WHERE series_id = ?1").bind(1, series_id).run();
    return;
  }
  db.prepare("INSERT INTO plan_digests (series_id, digest) VALUES (?1, ?2)"
             " ON CONFLICT (series_id) DO UPDATE SET digest = excluded.digest")
      .bind(1, series_id)
      .bind(2, digest)
      .run();
}

}  // namespace

Result<PlanDiff> Outbox::apply_plan(std::string_view series_id,
                                    std::span<const PlannedNotification> wanted, Instant now,
                                    ApplyOptions options) {
  for (const PlannedNotification& row : wanted) {
    if (!key_of(row.id)) {
      return Error{"notification id '" + row.id + "' is not 32 lowercase hex digits",
                   ErrorCode::invalid};
    }
  }
  return apply_plan(series_id, PlannedRowSpan(wanted), now, options);
}

Result<PlanDiff> Outbox::apply_plan(std::string_view series_id, const PlannedRows& wanted,
                                    Instant now, ApplyOptions options) {
  return guarded(*db_, "apply_plan for series " + std::string(series_id), [&]() -> Result<PlanDiff> {
    if (!options.plan_digest.empty() && stored_digest(*db_, series_id) == options.plan_digest) {
      return PlanDiff{.same_plan = true};
    }
    Result<std::vector<WantedRow>> sorted = sort_wanted(wanted);
    if (!sorted) return sorted.error();
    auto twice =
        std::adjacent_find(sorted->begin(), sorted->end(),
                           [](const WantedRow& a, const WantedRow& b) { return a.key == b.key; });
    if (twice != sorted->end()) {
      return Error{"notification " + text_of(twice->key) + " is planned twice", ErrorCode::invalid};
    }
    // One transaction reads under the write lock; short ones read first, so
    // that reading a large series holds nobody up.
    // Who opted out, read anew in every transaction: an opt-out committed
    // between two of them has already stopped the rows written before it.
    detail::OptOutFilter opted_out;
    auto read_opt_outs = [&] { opted_out.read(*db_, series_id); };
    std::optional<ChunkedTransaction> chunked;
    if (options.rows_per_transaction == 0) chunked.emplace(*db_, 0, read_opt_outs);
    std::vector<StoredRow> stored = read_series_rows(*db_, series_id);
    if (!chunked) chunked.emplace(*db_, options.rows_per_transaction, read_opt_outs);
    ChunkedTransaction& transaction = *chunked;
    // Until the last transaction commits, the rows match neither plan.
    store_digest(*db_, series_id, {});
    auto excluded = [&](std::size_t index) {
      return !opted_out.empty() &&
             opted_out.excludes(wanted.kind(index), wanted.channel(index), wanted.recipient(index));
    };

    Statement insert = db_->prepare(
        "INSERT INTO notifications (id, series_id, session_id, kind, reminder_offset, channel,"
        " recipient, due, session_start, state, attempts, created_at, updated_at,"
        " plan_generation)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', 0, ?10, ?10, ?11)"
        " ON CONFLICT (id) DO NOTHING");
    Statement reschedule = db_->prepare(
        "UPDATE notifications SET due = ?2, updated_at = ?3, plan_generation = ?4"
        " WHERE rowid = ?1 AND state IN ('pending', 'retrying')");
    Statement revive = db_->prepare(
        "UPDATE notifications SET state = 'pending', due = ?2, attempts = 0,"
        " next_attempt_at = NULL, updated_at = ?3, plan_generation = ?4"
        " WHERE rowid = ?1 AND state = 'superseded'");

    // First decide, walking both sides in id order; then write, in due
    // order. Three of the four indexes lead with the due time (or the
    // session, whose rows share it), so rows written in due order land on
    // neighbouring index pages and each page is written into the WAL once
    // per transaction; in id order every row touched a different page of
    // each index (a reload of 500,000 moved rows wrote gigabytes of WAL in
    // its short transactions, and a first load spent 40% more CPU).
    PlanDiff diff;
    std::vector<Write> inserts, reschedules, revives;
    auto current = stored.begin();
    for (const WantedRow& wanted_row : *sorted) {
      while (current != stored.end() && current->key < wanted_row.key) ++current;
      if (excluded(wanted_row.index)) {
        ++diff.opted_out;  // not wanted: a stored pending row is superseded below
        continue;
      }
      const Instant wanted_due = wanted.due(wanted_row.index);
      if (current == stored.end() || current->key != wanted_row.key) {
        inserts.push_back({detail::unix_seconds(wanted_due), wanted_row.key, wanted_row.index, 0,
                           NotificationState::pending});
        continue;
      }
      current->wanted = true;
      const std::int64_t due = detail::unix_seconds(wanted_due);
      switch (current->state) {
        case NotificationState::pending:
        case NotificationState::retrying:
          if (current->due == due) {
            ++diff.unchanged;
          } else {
            reschedules.push_back(
                {due, wanted_row.key, wanted_row.index, current->rowid, current->state});
          }
          break;
        case NotificationState::superseded:
          revives.push_back({due, wanted_row.key, wanted_row.index, current->rowid,
                             NotificationState::superseded});
          break;
        case NotificationState::sending:
        case NotificationState::sent:
        case NotificationState::failed:
        case NotificationState::missed:
          ++diff.kept;
          break;
      }
    }
    for (std::vector<Write>* writes : {&inserts, &reschedules, &revives}) {
      std::sort(writes->begin(), writes->end());
    }

    // Each write re-checks what it was decided on: with short transactions,
    // another connection may have claimed, sent or opted out since.
    const std::int64_t now_seconds = detail::unix_seconds(now);
    for (const Write& write : inserts) {
      if (excluded(write.index)) {
        ++diff.opted_out;
        continue;
      }
      const PlannedNotification row = wanted.row(write.index);
      insert.bind(1, std::string_view(row.id))
          .bind(2, series_id)
          .bind(3, row.session_id)
          .bind(4, std::string_view(row.kind))
          .bind(5, row.offset)
          .bind(6, std::string_view(row.channel))
          .bind(7, std::string_view(row.recipient))
          .bind(8, row.due)
          .bind(9, row.session_start)
          .bind(10, now)
          .bind(11, options.generation);
      insert.run();
      if (db_->changes() == 0) return foreign_id(*db_, row.id);  // rolls back
      transaction.wrote();
      ++diff.inserted;
      if (write.due < now_seconds) diff.overdue.push_back(row.id);
    }
    for (const Write& write : reschedules) {
      if (excluded(write.index)) {
        ++diff.opted_out;  // the opt-out superseded the stored row itself
        continue;
      }
      reschedule.bind(1, write.rowid).bind(2, write.due).bind(3, now).bind(4, options.generation);
      reschedule.run();
      if (db_->changes() == 0) {
        ++diff.kept;  // claimed meanwhile
        continue;
      }
      transaction.wrote();
      ++diff.rescheduled;
      if (write.due < now_seconds && write.state == NotificationState::pending) {
        diff.overdue.push_back(text_of(write.key));
      }
    }
    for (const Write& write : revives) {
      if (excluded(write.index)) {
        ++diff.opted_out;
        continue;
      }
      revive.bind(1, write.rowid).bind(2, write.due).bind(3, now).bind(4, options.generation);
      revive.run();
      transaction.wrote();
      ++diff.revived;
      if (write.due < now_seconds) diff.overdue.push_back(text_of(write.key));
    }

    Statement supersede = db_->prepare(
        "UPDATE notifications SET state = 'superseded', next_attempt_at = NULL, updated_at = ?2"
        " WHERE rowid = ?1 AND state IN ('pending', 'retrying') RETURNING " +
        std::string(detail::kNotificationColumns));
    std::vector<const StoredRow*> unwanted;
    for (const StoredRow& row : stored) {
      if (row.wanted ||
          (row.state != NotificationState::pending && row.state != NotificationState::retrying)) {
        continue;
      }
      unwanted.push_back(&row);
    }
    std::sort(unwanted.begin(), unwanted.end(), [](const StoredRow* a, const StoredRow* b) {
      return std::tie(a->due, a->key) < std::tie(b->due, b->key);
    });
    for (const StoredRow* row : unwanted) {
      supersede.bind(1, row->rowid).bind(2, now);
      if (supersede.step()) diff.superseded.push_back(detail::read_notification(supersede));
      supersede.run();  // finish the statement (RETURNING writes on the last step)
      transaction.wrote();
    }
    std::sort(diff.overdue.begin(), diff.overdue.end());  // in id order, as PostgreSQL's
    std::sort(diff.superseded.begin(), diff.superseded.end(),
              [](const NotificationRow& a, const NotificationRow& b) {
                return std::tie(a.due, a.id) < std::tie(b.due, b.id);
              });
    store_digest(*db_, series_id, options.plan_digest);
    transaction.commit();
    return diff;
  });
}

}  // namespace kutsu::store
