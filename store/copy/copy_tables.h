// The tables `kutsu store copy` moves, and how each column reads and
// writes in the two schemas (store/detail/schema.cpp for SQLite,
// store/pg/pg_schema.cpp for PostgreSQL).
//
// Values travel as text in one canonical form whichever way the copy goes:
// integers in decimal, flags "0"/"1" (SQLite's 0/1, PostgreSQL's boolean),
// NULL as nullopt. A column the source's schema lacks is read as an
// expression instead; a column the destination's lacks is not written:
//   - notifications.series_version (PostgreSQL only): from SQLite, the
//     content hash of the series' last load (series_versions), which is
//     what its rows were planned from; a reload stamps pending rows anew.
//   - attempts.node (PostgreSQL only): from SQLite, "" (one node, unnamed).
//   - notifications.claimed_by/lease_until (PostgreSQL only) are not
//     copied: a copy is made with the daemon stopped, and rows in `sending`
//     are refused (outbox_copy.h), so no claim is alive.
// PostgreSQL's nodes and node_series describe running processes, not the
// outbox, and are not copied; each node registers itself when it starts.
// Nor are plan_digests: the first start on the copy compares every plan in
// full, and on PostgreSQL stamps each row with its true series_version
// (series_versions may hold a broken file's hash, not the plan's).
// tests/store/outbox_copy_test.cpp holds this list to both schemas, so a new
// column or table cannot be forgotten here.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kutsu::store::copy {

enum class ColumnType { text, integer, flag };

struct CopyColumn {
  std::string_view pg;      // the PostgreSQL column
  std::string_view sqlite;  // the SQLite column, or "" when SQLite has none
  ColumnType type;
  // What SQLite reads instead when it has no such column (an SQL expression
  // over the table, aliased `t`).
  std::string_view sqlite_absent = {};
};

struct CopyTable {
  std::string_view name;
  std::vector<CopyColumn> columns;
  // Source order, so that the destination's insertion order is the
  // source's: SQLite's rowid is its insertion order; PostgreSQL has none
  // (updates move rows), so the nearest stable order.
  std::string_view sqlite_order;
  std::string_view pg_order;
  bool counts_as_progress = false;  // notifications: what the progress line counts
};

// In an order the foreign keys accept (notifications before attempts).
std::span<const CopyTable> copy_tables();

// One value in canonical text; nullopt is NULL.
using CopyValue = std::optional<std::string>;
using CopyRow = std::vector<CopyValue>;  // one value per CopyTable::columns

}  // namespace kutsu::store::copy
