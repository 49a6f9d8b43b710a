// OutboxTables: one side of `kutsu store copy` — an outbox's tables read or
// written whole, the same way over SQLite and PostgreSQL, in the canonical
// values of copy_tables.h. outbox_copy.h drives two of them.
//
// Opening brings the schema to this build's version (the migrations the
// daemon runs at start): a destination is created if need be; a source must
// exist, and one written by a newer Kutsu is refused (conflict).
//
// A source reads under one snapshot (begin_reading … finish_reading), so
// the tables agree with each other. A destination writes in one transaction
// (begin_writing … commit) that first takes the locks keeping everyone else
// out; destroying it before commit() rolls everything back.
//
// Failures are Errors with a sentence naming the outbox: unavailable when
// the database cannot be reached or written, conflict for a state that
// forbids the copy, invalid for data the schema should have excluded.
// Not thread-safe; one owner.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/copy/copy_tables.h"
#include "store/copy/outbox_location.h"

namespace kutsu::store::copy {

class OutboxTables {
 public:
  enum class Role { source, destination };
  using BatchHandler = std::function<Status(const std::vector<CopyRow>&)>;

  virtual ~OutboxTables() = default;

  // Rows of `table`, all or those matching `where` (an SQL condition both
  // dialects read alike, e.g. "state = 'sending'").
  virtual Result<std::int64_t> count(const CopyTable& table, std::string_view where = {}) = 0;
  // Signs of a running daemon, each a phrase for a message: nodes whose
  // heartbeat is more recent than `within` ago ("node kutsu-a (heartbeat
  // 3 s ago)"), and other connections whose last statement was on the
  // outbox's tables ("a connection from 10.0.0.5, pid 4711"). SQLite: none
  // (the command checks the daemon's admin address instead).
  virtual Result<std::vector<std::string>> live_users(std::chrono::seconds within) = 0;

  virtual Status begin_reading() = 0;
  // Every row of `table` in the table's source order, `batch_rows` at a time.
  virtual Status read(const CopyTable& table, std::size_t batch_rows, const BatchHandler& each) = 0;
  virtual Status finish_reading() = 0;

  virtual Status begin_writing() = 0;
  virtual Status clear(const CopyTable& table) = 0;
  virtual Status write(const CopyTable& table, const std::vector<CopyRow>& rows) = 0;
  virtual Status commit() = 0;
};

Result<std::unique_ptr<OutboxTables>> open_sqlite_tables(const std::filesystem::path& file,
                                                         OutboxTables::Role role);
Result<std::unique_ptr<OutboxTables>> open_pg_tables(const std::string& uri);

// The one that `location` names.
Result<std::unique_ptr<OutboxTables>> open_outbox_tables(const OutboxLocation& location,
                                                         OutboxTables::Role role);

}  // namespace kutsu::store::copy
