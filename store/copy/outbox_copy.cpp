#include "store/copy/outbox_copy.h"

#include <memory>

#include "store/copy/copy_tables.h"
#include "store/copy/outbox_tables.h"

namespace kutsu::store {
namespace {

using copy::CopyRow;
using copy::CopyTable;
using copy::OutboxTables;

Status refuse_live_users(OutboxTables& tables, const OutboxLocation& location,
                         std::chrono::seconds window) {
  Result<std::vector<std::string>> users = tables.live_users(window);
  if (!users) return users.error();
  if (users->empty()) return {};
  std::string list;
  for (const std::string& user : *users) list += (list.empty() ? "" : ", ") + user;
  return Error{location.describe() + " is in use: " + list +
                   ". Stop every kutsu serve on it (a stopped node's heartbeat counts for " +
                   std::to_string(window.count()) + " s) and try again",
               ErrorCode::conflict};
}

// Starts the source's snapshot and refuses claims in it.
Status start_reading(OutboxTables& source, const OutboxLocation& from) {
  if (Status begun = source.begin_reading(); !begun) return begun;
  Result<std::int64_t> sending = source.count(copy::copy_tables().front(), "state = 'sending'");
  if (!sending) return sending.error();
  if (*sending > 0) {
    return Error{from.describe() + " has " + std::to_string(*sending) +
                     " notifications being sent (state sending): a daemon is running on it, or "
                     "one stopped without finishing them. Stop it cleanly (if it is stopped, "
                     "start it once and stop it, so that it takes them back) and try again",
                 ErrorCode::conflict};
  }
  return {};
}

Result<CopySummary> copy_all(OutboxTables& source, OutboxTables& destination,
                             const OutboxLocation& from, const OutboxLocation& to,
                             const CopyOptions& options) {
  const CopyTable& notifications = copy::copy_tables().front();
  std::vector<std::int64_t> totals;
  for (const CopyTable& table : copy::copy_tables()) {
    Result<std::int64_t> total = source.count(table);
    if (!total) return total.error();
    totals.push_back(*total);
  }

  if (Status begun = destination.begin_writing(); !begun) return begun.error();
  Result<std::int64_t> held = destination.count(notifications);
  if (!held) return held.error();
  if (*held > 0) {
    return Error{to.describe() + " already holds " + std::to_string(*held) +
                     " notifications; copy only into a new outbox (a new SQLite file, or an "
                     "empty PostgreSQL database)",
                 ErrorCode::conflict};
  }
  // Nothing but defaults and leftovers without a single notification (the
  // schema's plan_generation row, a key made by a daemon that planned
  // nothing): replaced by the source's. Attempts first for the foreign key.
  const auto tables = copy::copy_tables();
  for (auto table = tables.rbegin(); table != tables.rend(); ++table) {
    if (Status cleared = destination.clear(*table); !cleared) return cleared.error();
  }

  CopySummary summary;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const CopyTable& table = tables[i];
    CopyProgress progress{table.name, 0, totals[i]};
    if (options.on_progress) options.on_progress(progress);
    Status read = source.read(table, options.batch_rows, [&](const std::vector<CopyRow>& rows) {
      if (Status written = destination.write(table, rows); !written) return written;
      progress.copied += static_cast<std::int64_t>(rows.size());
      if (options.on_progress) options.on_progress(progress);
      return Status();
    });
    if (!read) return read.error();
    // The snapshot makes these equal; a difference is a bug worth stopping for.
    if (progress.copied != totals[i]) {
      return Error{"read " + std::to_string(progress.copied) + " rows of " +
                   std::string(table.name) + " from " + from.describe() + " after counting " +
                   std::to_string(totals[i])};
    }
    Result<std::int64_t> arrived = destination.count(table);
    if (!arrived) return arrived.error();
    if (*arrived != progress.copied) {
      return Error{"wrote " + std::to_string(progress.copied) + " rows of " +
                   std::string(table.name) + " but " + to.describe() + " holds " +
                   std::to_string(*arrived)};
    }
    summary.tables.push_back({std::string(table.name), progress.copied});
  }
  if (Status committed = destination.commit(); !committed) return committed.error();
  if (Status finished = source.finish_reading(); !finished) return finished.error();
  return summary;
}

}  // namespace

std::int64_t CopySummary::rows(std::string_view table) const {
  for (const CopiedTable& copied : tables) {
    if (copied.table == table) return copied.rows;
  }
  return 0;
}

Result<CopySummary> copy_outbox(const OutboxLocation& from, const OutboxLocation& to,
                                const CopyOptions& options) {
  if (same_outbox(from, to)) {
    return Error{"--from and --to are the same outbox (" + from.describe() + ")",
                 ErrorCode::invalid};
  }
  Result<std::unique_ptr<OutboxTables>> source =
      copy::open_outbox_tables(from, OutboxTables::Role::source);
  if (!source) return source.error();
  if (Status idle = refuse_live_users(**source, from, options.live_node_window); !idle) {
    return idle.error();
  }
  // Before the destination is made: a refused copy leaves no new file behind.
  if (Status reading = start_reading(**source, from); !reading) return reading.error();
  Result<std::unique_ptr<OutboxTables>> destination =
      copy::open_outbox_tables(to, OutboxTables::Role::destination);
  if (!destination) return destination.error();
  if (Status idle = refuse_live_users(**destination, to, options.live_node_window); !idle) {
    return idle.error();
  }
  return copy_all(**source, **destination, from, to, options);
}

}  // namespace kutsu::store
