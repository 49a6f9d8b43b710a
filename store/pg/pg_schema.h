// The PostgreSQL outbox's schema as an ordered list of migrations, and the
// asynchronous migrate() that applies them — the counterpart of
// store/detail/schema.h for SQLite, for a database several nodes share.
//
// The database remembers the last step it ran in the one-row table
// schema_version. Each step runs as one Query message together with the
// version bump, which PostgreSQL runs as one transaction: a failure or a
// crash leaves the database at a whole step. Steps are never edited once
// released: a change to the schema is a new step at the end.
//
// Nodes starting together must not migrate together (two CREATE TABLEs of
// the same table collide in the catalog): migrate() first takes the
// session-level advisory lock kSchemaLock, reads the version only then, and
// lets go when done (or failed); a node that finds the lock taken waits in
// the server for its turn, then finds the work done.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "base/result.h"
#include "store/pg/pg_connection.h"

namespace kutsu::store::pg {

// Advisory lock keys of the Kutsu outbox ("kutsu" in ASCII, then numbered).
inline constexpr std::int64_t kSchemaLock = 461532066677;
// Held (transaction-level) while a plan is applied: one apply at a time
// across every node, so two nodes reloading the same change apply one diff.
inline constexpr std::int64_t kPlanLock = 461532066678;

struct PgMigration {
  int version;           // 1, 2, 3 … in order, no gaps
  std::string_view sql;  // one or more statements, no transaction control
};

// The outbox's own steps.
std::span<const PgMigration> pg_outbox_migrations();

using MigrateHandler = std::function<void(Result<int>)>;

// Brings the database behind `connection` (open, or opening) to the last of
// `steps`, and calls `done` with the version it is at then. Each query,
// waiting for the lock included, has `timeout`. Fails with conflict when
// the database's version is newer than the last step (written by a newer
// Kutsu: nothing is changed), with the failing step's error (invalid for
// its SQL, unavailable for the connection) otherwise; the steps before it
// stay applied. `connection` must outlive the migration; destroying it
// abandons the migration (`done` is not called) and the server lets go of
// the lock with the session.
void migrate(PgConnection& connection, std::span<const PgMigration> steps,
             PgConnection::Timeout timeout, MigrateHandler done);

// The outbox's steps.
inline void migrate(PgConnection& connection, PgConnection::Timeout timeout, MigrateHandler done) {
  migrate(connection, pg_outbox_migrations(), timeout, std::move(done));
}

}  // namespace kutsu::store::pg
