// The outbox schema as an ordered list of migrations, and the code that
// applies them.
//
// The database remembers the last step it ran in PRAGMA user_version. Each
// step runs in its own transaction together with the version bump, so a
// crash leaves the database at a whole step. Steps are never edited once
// released: a change to the schema is a new step at the end.
#pragma once

#include <span>
#include <string_view>

#include "base/result.h"
#include "store/detail/database.h"

namespace kutsu::store::detail {

struct Migration {
  int version;           // 1, 2, 3 … in order, no gaps
  std::string_view sql;  // one or more statements
};

// The outbox's own steps.
std::span<const Migration> outbox_migrations();

// Applies the steps newer than the database's user_version, one transaction
// each. A database whose version is beyond the last step was written by a
// newer program: refused with an Error, nothing changed. SQL failures throw
// SqliteError (and leave the database at the last whole step).
Status migrate(Database& db, std::span<const Migration> steps);

}  // namespace kutsu::store::detail
