#include "store/pg/pg_schema.h"

#include <array>
#include <memory>
#include <string>
#include <utility>

namespace kutsu::store::pg {
namespace {

// The SQLite outbox's tables as of its version 6 (store/detail/schema.cpp;
// session_versions.changed_at included), in PostgreSQL's types, plus what
// several nodes need (issue #14). A later SQLite step is a PostgreSQL step
// too, so the two stores keep the same columns:
//
// - Planned instants (due, session times, attempts) stay bigint Unix
//   seconds as in SQLite: the planner's instants, from its injected clock,
//   compared with values the node passes in, and copied 1:1 between the two
//   stores (`kutsu store copy`).
// - A claim's lease is the database's time (timestamptz, set and compared
//   with the server's clock_timestamp()): one clock for every node, so a
//   node whose own clock runs fast cannot take over a live node's rows.
//   The same for nodes' heartbeats.
// - series_version is the content hash of the series file the row was
//   planned from; a node claims only rows of versions it has loaded
//   (node_series), so a node with an older file never sends stale content.
// - attempts record the node that made them.
//
// Column names avoid SQL keywords (offset, start, end) so no query needs
// quoting, as in SQLite.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE notifications (
  id              text PRIMARY KEY CHECK (length(id) = 32),
  series_id       text NOT NULL,
  session_id      text,
  kind            text NOT NULL,
  reminder_offset text,
  channel         text NOT NULL,
  recipient       text NOT NULL,
  due             bigint NOT NULL,
  session_start   bigint NOT NULL,
  state           text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'retrying',
                                                 'failed', 'missed', 'superseded')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  last_result     text,
  created_at      bigint NOT NULL,
  updated_at      bigint NOT NULL,
  sent_at         bigint,
  plan_generation bigint NOT NULL DEFAULT 0,
  series_version  text NOT NULL,
  claimed_by      text,
  lease_until     timestamptz,
  CONSTRAINT a_claim_has_a_node_and_a_lease CHECK ((claimed_by IS NULL) = (lease_until IS NULL))
);

-- Claiming and the timer: the earliest rows of a state in (due, id) order.
CREATE INDEX notifications_by_state_due ON notifications (state, due, id);
-- Retries wake on next_attempt_at; only retrying rows have one worth indexing.
CREATE INDEX notifications_retry_at ON notifications (state, next_attempt_at)
  WHERE state = 'retrying';
-- Planning and the admin API's counts per series and session, from the index alone.
CREATE INDEX notifications_by_series ON notifications (series_id, session_id, state, due, id);
-- Listing every notification in (due, id) pages.
CREATE INDEX notifications_by_due ON notifications (due, id);
-- Taking over the rows of a node whose lease ran out.
CREATE INDEX notifications_by_lease ON notifications (lease_until) WHERE state = 'sending';

CREATE TABLE attempts (
  notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  at              bigint NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('sent', 'retry', 'permanent')),
  code            integer,
  detail          text NOT NULL,
  node            text NOT NULL
);
CREATE INDEX attempts_by_notification ON attempts (notification_id);

CREATE TABLE series_versions (
  series_id    text PRIMARY KEY,
  content_hash text NOT NULL,
  loaded_at    bigint NOT NULL,
  ok           boolean NOT NULL,
  errors       text NOT NULL
);

CREATE TABLE session_versions (
  series_id          text NOT NULL,
  session_id         text NOT NULL,
  starts_at          bigint NOT NULL,
  ends_at            bigint NOT NULL,
  sequence           integer NOT NULL,
  cancelled          boolean NOT NULL,
  previous_starts_at bigint,
  previous_ends_at   bigint,
  title              text NOT NULL DEFAULT '',
  removed_at         bigint,
  changed_at         bigint,
  PRIMARY KEY (series_id, session_id)
);

CREATE TABLE plan_generation (
  one     integer PRIMARY KEY CHECK (one = 1),  -- ONLY, SQLite's name, is reserved here
  current bigint NOT NULL
);
INSERT INTO plan_generation (one, current) VALUES (1, 0);

-- The nodes sharing this outbox: the status API lists them with their
-- heartbeat and names those whose series files differ.
CREATE TABLE nodes (
  name         text PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- The series versions each node has loaded and sends from.
CREATE TABLE node_series (
  node         text NOT NULL REFERENCES nodes (name) ON DELETE CASCADE,
  series_id    text NOT NULL,
  content_hash text NOT NULL,
  PRIMARY KEY (node, series_id)
);
)sql";

// SQLite's step 7: participants who opted out, per series (the address
// lowercased), and the outbox's own settings, among them the key that signs
// opt-out links, so that every node signs alike.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE opt_outs (
  series_id  text NOT NULL,
  recipient  text NOT NULL,  -- lowercased (ASCII) by the caller
  scope      text NOT NULL CHECK (scope IN ('reminders', 'all')),
  created_at bigint NOT NULL,
  PRIMARY KEY (series_id, recipient)
);
CREATE TABLE settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
)sql";

// Claims walk the pending rows in (due, id) order. In the indexes above a
// claimed row stays behind as a dead entry under 'pending' or as a live
// one under another state, and in a burst the planner, its statistics
// taken when every row was pending, read through all of them for every
// claim. A row leaves this index for good when it stops being pending.
constexpr std::string_view kVersion3 = R"sql(
CREATE INDEX notifications_pending_by_due ON notifications (due, id) WHERE state = 'pending';
)sql";

// SQLite's step 8: the digest of the plan each series last had applied in
// full, so that a start or reload planning the same rows compares nothing.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE plan_digests (
  series_id text PRIMARY KEY,
  digest    text NOT NULL
);
)sql";

constexpr std::array kMigrations = {
    PgMigration{1, kVersion1},
    PgMigration{2, kVersion2},
    PgMigration{3, kVersion3},
    PgMigration{4, kVersion4},
};

// Made under the lock, so that two nodes never both create it.
constexpr std::string_view kVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  one     integer PRIMARY KEY CHECK (one = 1),  -- ONLY, SQLite's name, is reserved here
  version integer NOT NULL
);
INSERT INTO schema_version (one, version) VALUES (1, 0) ON CONFLICT (one) DO NOTHING;
SELECT version FROM schema_version
)sql";

// One migration in flight: a chain of queries on one connection, each
// handler holding the run alive (a handler destroyed uncalled, with the
// connection, ends it).
class Run : public std::enable_shared_from_this<Run> {
 public:
  Run(PgConnection& connection, std::span<const PgMigration> steps, PgConnection::Timeout timeout,
      MigrateHandler done)
      : connection_(connection), steps_(steps), timeout_(timeout), done_(std::move(done)) {}

  void start() {
    connection_.async_query("SELECT pg_advisory_lock($1)", {std::to_string(kSchemaLock)}, timeout_,
                            [self = shared_from_this()](Result<PgRows> locked) {
                              if (!locked) return self->finish(locked.error(), false);
                              self->read_version();
                            });
  }

 private:
  void read_version() {
    connection_.async_script(std::string(kVersionTable), timeout_,
                             [self = shared_from_this()](Result<PgRows> rows) {
                               if (!rows) return self->finish(rows.error(), true);
                               if (rows->size() != 1 || !rows->at(0, 0)) {
                                 return self->finish(Error{"schema_version has no row"}, true);
                               }
                               self->version_ = std::stoi(*rows->at(0, 0));
                               self->check_version();
                             });
  }

  void check_version() {
    const int latest = steps_.empty() ? 0 : steps_.back().version;
    if (version_ > latest) {
      return finish(Error{"the PostgreSQL outbox has schema version " + std::to_string(version_) +
                              ", newer than this Kutsu understands (" + std::to_string(latest) +
                              "); refusing to use it (use the newer Kutsu or restore a backup)",
                          ErrorCode::conflict},
                    true);
    }
    next_step();
  }

  void next_step() {
    while (next_ < steps_.size() && steps_[next_].version <= version_) ++next_;
    if (next_ == steps_.size()) return finish(version_, true);
    const PgMigration& step = steps_[next_];
    // The step and its version in one Query message: one transaction.
    std::string sql = std::string(step.sql) + ";\nUPDATE schema_version SET version = " +
                      std::to_string(step.version);
    connection_.async_script(std::move(sql), timeout_,
                             [self = shared_from_this(), version = step.version](Result<PgRows> applied) {
                               if (!applied) {
                                 Error error = applied.error();
                                 error.message = "schema step " + std::to_string(version) + ": " +
                                                 error.message;
                                 return self->finish(std::move(error), true);
                               }
                               self->version_ = version;
                               self->next_step();
                             });
  }

  // Lets go of the lock (when held) and then reports `outcome`. An unlock
  // that fails changes nothing: it failed because the session is gone, and
  // the lock went with it.
  void finish(Result<int> outcome, bool locked) {
    if (!locked) return done_(std::move(outcome));
    connection_.async_query(
        "SELECT pg_advisory_unlock($1)", {std::to_string(kSchemaLock)}, timeout_,
        [self = shared_from_this(), outcome = std::move(outcome)](Result<PgRows>) mutable {
          self->done_(std::move(outcome));
        });
  }

  PgConnection& connection_;
  std::span<const PgMigration> steps_;
  PgConnection::Timeout timeout_;
  MigrateHandler done_;
  int version_ = 0;
  std::size_t next_ = 0;
};

}  // namespace

std::span<const PgMigration> pg_outbox_migrations() { return kMigrations; }

void migrate(PgConnection& connection, std::span<const PgMigration> steps,
             PgConnection::Timeout timeout, MigrateHandler done) {
  std::make_shared<Run>(connection, steps, timeout, std::move(done))->start();
}

}  // namespace kutsu::store::pg
