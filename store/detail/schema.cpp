#include "store/detail/schema.h"

#include <array>
#include <string>

namespace kutsu::store::detail {
namespace {

// Column names avoid SQL keywords (offset, start, end) so no query needs quoting.
// STRICT tables make SQLite enforce the declared column types.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE notifications (
  -- apply_plan checks ids are 32 lowercase hex digits; a GLOB here cost 3% of
  -- a million-row insert for nothing more.
  id              TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 32),
  series_id       TEXT NOT NULL,
  session_id      TEXT,
  kind            TEXT NOT NULL,
  reminder_offset TEXT,
  channel         TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  due             INTEGER NOT NULL,
  session_start   INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'retrying',
                                                 'failed', 'missed', 'superseded')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_result     TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  sent_at         INTEGER
) STRICT;

-- Claiming and the timer: the earliest pending rows, read in due order.
CREATE INDEX notifications_by_state_due ON notifications (state, due);
-- Retries wake on next_attempt_at; only retrying rows have one worth indexing.
-- (state leads so that the planner sees the index serves "state = 'retrying'".)
CREATE INDEX notifications_retry_at ON notifications (state, next_attempt_at)
  WHERE state = 'retrying';
-- Planning reads (id, state, due) of every row of a series, the admin API
-- counts per series and session: both from this index alone. Without due and
-- id here, a reload of a million-row series spent 2.4 s CPU on table lookups
-- instead of 0.2 s.
CREATE INDEX notifications_by_series ON notifications (series_id, session_id, state, due, id);

CREATE TABLE attempts (
  notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  at              INTEGER NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'permanent')),
  code            INTEGER,
  detail          TEXT NOT NULL
) STRICT;
CREATE INDEX attempts_by_notification ON attempts (notification_id);

CREATE TABLE series_versions (
  series_id    TEXT PRIMARY KEY NOT NULL,
  content_hash TEXT NOT NULL,
  loaded_at    INTEGER NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  errors       TEXT NOT NULL
) STRICT;

CREATE TABLE session_versions (
  series_id  TEXT NOT NULL,
  session_id TEXT NOT NULL,
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL,
  sequence   INTEGER NOT NULL,
  cancelled  INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
  PRIMARY KEY (series_id, session_id)
) STRICT;
)sql";

// Update notices say when a moved session was before ("the time has
// changed"): the times people were told until the last move.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE session_versions ADD COLUMN previous_starts_at INTEGER;
ALTER TABLE session_versions ADD COLUMN previous_ends_at INTEGER;
)sql";

// Claiming orders by (due, id); with id outside the index, a burst of
// 20,000 rows due at one second was read and sorted whole for every slice
// of 64 the dispatcher claims. With id in it, a claim reads its 64 rows.
// Listing every notification (the admin API without a state filter) pages
// in (due, id) order: without this index each page of 100 sorted a million
// rows (90 ms on the event loop).
constexpr std::string_view kVersion3 = R"sql(
DROP INDEX notifications_by_state_due;
CREATE INDEX notifications_by_state_due ON notifications (state, due, id);
CREATE INDEX notifications_by_due ON notifications (due, id);
)sql";

// A reload writes the new plan while the old one is still being sent from
// (service/reload.h): the rows it inserts, moves or revives carry the
// reload's plan generation, and claims skip generations that are not in
// force yet, so no row is sent under a plan the daemon has not switched to.
// The counter lives in its own one-row table: max() over the notifications
// would read every row.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE notifications ADD COLUMN plan_generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE plan_generation (
  only    INTEGER PRIMARY KEY CHECK (only = 1),
  current INTEGER NOT NULL
) STRICT;
INSERT INTO plan_generation (only, current) VALUES (1, 0);
)sql";

// A session deleted from its file after its invitation went out is
// cancelled a while later (interfaces.md, `cancel_delay`): the outbox keeps
// what people were told of it (its title) and when it was found gone.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE session_versions ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE session_versions ADD COLUMN removed_at INTEGER;
)sql";

// An update or cancellation is due when the reload that found the change
// ran, not a second after the invitation (which made a webhook receiver see
// it as late as the invitation was old): the outbox keeps that moment, so
// that every later reload plans the notice for the same due time.
constexpr std::string_view kVersion6 = R"sql(
ALTER TABLE session_versions ADD COLUMN changed_at INTEGER;
)sql";

// Participants who opted out (RFC 8058 one-click or the page behind the
// link), per series; and the outbox's own settings, among them the key that
// signs opt-out links, so that every process on this outbox signs alike.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE opt_outs (
  series_id  TEXT NOT NULL,
  recipient  TEXT NOT NULL,  -- lowercased
  scope      TEXT NOT NULL CHECK (scope IN ('reminders', 'all')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (series_id, recipient)
) STRICT;
CREATE TABLE settings (
  name  TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
)sql";

// The digest of the plan each series last had applied in full
// (ApplyOptions::plan_digest): a start or reload that plans the same rows
// again has nothing to compare, and a million-row series is not read.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE plan_digests (
  series_id TEXT PRIMARY KEY NOT NULL,
  digest    TEXT NOT NULL
) STRICT;
)sql";

constexpr std::array kMigrations = {
    Migration{1, kVersion1},
    Migration{2, kVersion2},
    Migration{3, kVersion3},
    Migration{4, kVersion4},
    Migration{5, kVersion5},
    Migration{6, kVersion6},
    Migration{7, kVersion7},
    Migration{8, kVersion8},
};

}  // namespace

std::span<const Migration> outbox_migrations() { return kMigrations; }

Status migrate(Database& db, std::span<const Migration> steps) {
  const int latest = steps.empty() ? 0 : steps.back().version;
  const std::int64_t found = db.query_integer("PRAGMA user_version");
  if (found > latest) {
    return Error{db.file().string() + " has schema version " + std::to_string(found) +
                     ", newer than this Kutsu understands (" + std::to_string(latest) +
                     "); refusing to open it (use the newer Kutsu or restore a backup)",
                 ErrorCode::conflict};
  }
  for (const Migration& step : steps) {
    Transaction transaction(db);
    // Read again under the write lock: another process may have migrated
    // between our first look and now.
    if (db.query_integer("PRAGMA user_version") >= step.version) continue;
    db.exec(step.sql);
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    transaction.commit();
  }
  return {};
}

}  // namespace kutsu::store::detail
