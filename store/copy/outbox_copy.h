// copy_outbox: moves a whole outbox from one store to another — SQLite to
// PostgreSQL when a deployment outgrows one machine, back again, or
// between two of a kind — for `kutsu store copy` (daemon/store_command.cpp).
//
// What arrives: every notification with its state, attempts, times and plan
// generation; the whole attempt history; series and session versions;
// opt-outs; the settings (among them the key that signs opt-out links, so
// links already sent keep working); the plan generation counter. Ids are
// kept, and so is the source's row order where it has one (SQLite's rowid;
// PostgreSQL has none, so its rows come in the nearest order, see
// copy_tables.h: a round trip through it may reorder SQLite's rowids,
// which nothing reads as meaning). What only PostgreSQL records has no place in
// SQLite and stays behind (each attempt's node; the node list); see
// copy_tables.h for how each column maps.
//
// Promises:
// - All or nothing: the destination is written in one transaction; on any
//   failure it is left as it was (its schema migrated).
// - The source is read under one snapshot and never written, apart from the
//   schema migrations any daemon of this version would run on it at start.
// - Both schemas are brought to this build's version first; an outbox
//   written by a newer Kutsu is refused (conflict).
//
// Refusals (ErrorCode::conflict, nothing copied):
// - the destination already holds notifications (a destination without any
//   is taken as new: whatever else it holds is replaced by the source's);
// - the source has rows in `sending`: a daemon is running on it, or one
//   stopped without finishing them — start it and stop it cleanly first, so
//   that it takes them back (a copied claim could be sent twice);
// - a PostgreSQL side has a node with a heartbeat within
//   options.live_node_window, or another connection whose last statement
//   was on the outbox's tables: a daemon is evidently running;
// - from and to are the same outbox (ErrorCode::invalid).
// It cannot see an SQLite daemon with nothing in flight; the command checks
// the daemon's admin address for that (console/store_copy.h).
//
// Blocking: it runs to completion on the calling thread (its own loop for
// PostgreSQL, see blocking_pg.h); for commands, never the daemon's loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/copy/outbox_location.h"

namespace kutsu::store {

struct CopyProgress {
  std::string_view table;  // "notifications", "attempts", …
  std::int64_t copied = 0;
  std::int64_t total = 0;  // the source's rows of that table
};

struct CopyOptions {
  std::size_t batch_rows = 5'000;  // rows per read and per write statement
  std::chrono::seconds live_node_window{120};
  // Called after every batch written, on the calling thread.
  std::function<void(const CopyProgress&)> on_progress;
};

struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;
};

struct CopySummary {
  std::vector<CopiedTable> tables;  // in copy order, notifications first
  std::int64_t rows(std::string_view table) const;
};

Result<CopySummary> copy_outbox(const OutboxLocation& from, const OutboxLocation& to,
                                const CopyOptions& options = {});

}  // namespace kutsu::store
