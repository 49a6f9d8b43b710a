// OutboxLocation: where an outbox lives, as `kutsu store copy` names it on
// its command line — a PostgreSQL database or an SQLite file.
//
// Accepted forms (parse_outbox_location):
//   postgresql://…, postgres://…  a libpq connection URI, checked with
//                                 libpq's own parser; a password in it is
//                                 refused (it would show in `ps` and in
//                                 shell history): libpq reads it from
//                                 ~/.pgpass, PGPASSFILE or PGPASSWORD.
//   sqlite:PATH or PATH           an SQLite outbox file; a PATH that is a
//                                 folder means the daemon's state_dir, i.e.
//                                 the kutsu.db inside it.
// Any other scheme ("mysql://…") is refused rather than taken as a file name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::store {

struct OutboxLocation {
  enum class Kind { sqlite, postgresql };
  Kind kind = Kind::sqlite;
  std::filesystem::path file;  // sqlite: the database file
  std::string uri;             // postgresql: the connection URI as given

  // For messages: "the SQLite outbox /var/lib/kutsu/kutsu.db", "the
  // PostgreSQL database kutsu on db.example.org" (never a secret).
  std::string describe() const;
};

// Reads `text`; ErrorCode::invalid with a sentence saying what is wrong.
Result<OutboxLocation> parse_outbox_location(std::string_view text);

// Whether `a` and `b` are evidently the same outbox (the same file, the
// same URI text): copying an outbox onto itself is refused.
bool same_outbox(const OutboxLocation& a, const OutboxLocation& b);

}  // namespace kutsu::store
