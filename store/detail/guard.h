// guarded(): the one place where the store's internal SqliteError becomes the
// Error that crosses the module boundary, prefixed with what was being done
// and, for the failures an operator must act on, what they mean ("claim_due:
// the disk holding the outbox is full (database or disk is full …)"), with
// ErrorCode::unavailable. Expected refusals that a body returns itself
// ("notification … is pending; only failed or missed …", ErrorCode::conflict)
// are already sentences for the admin API's user, with their own code, and
// pass through unchanged.
//
// It also keeps the connection's StoreHealth: an unavailable failure marks
// the store unhealthy, and a later call that changed a row (a write that
// reached the disk) marks it healthy again.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/result.h"
#include "store/detail/database.h"

namespace kutsu::store::detail {

// The Error for `error` raised while doing `what` on the outbox `file`
// (empty: unknown). SQLite answers a write refused by a file system that
// turned read-only with a bare "disk I/O error" (and sqlite3_system_errno
// does not keep the EROFS of a failed commit), so for that failure the
// file's folder is asked (statvfs) whether it is on a read-only mount.
Error store_error(std::string_view what, const SqliteError& error,
                  const std::filesystem::path& file = {});

// Whether a successful call may vouch for the disk: writes to TEMP tables
// change rows without touching the database file.
enum class Vouches { yes, no };

// Runs `body` (which returns a Result<T> or Status) and turns an SqliteError
// it throws into an Error of the same Result type, noting either outcome in
// `db`'s health.
template <typename Body>
auto guarded(Database& db, std::string_view what, Body&& body, Vouches vouches = Vouches::yes)
    -> std::invoke_result_t<Body> {
  const std::int64_t changes_before = db.total_changes();
  try {
    auto result = body();
    if (result && vouches == Vouches::yes && db.total_changes() != changes_before) {
      db.health().note_write();
    }
    return result;
  } catch (const SqliteError& error) {
    Error failure = store_error(what, error, db.file());
    if (failure.code == ErrorCode::unavailable) db.health().note_failure(failure.message);
    return failure;
  }
}

// For the one call with no connection yet: opening it.
template <typename Body>
auto guarded(std::string_view what, Body&& body) -> std::invoke_result_t<Body> {
  try {
    return body();
  } catch (const SqliteError& error) {
    return store_error(what, error);
  }
}

}  // namespace kutsu::store::detail
