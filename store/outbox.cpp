// Opening the outbox (connection settings, schema) and the timer's queries.
// The other Outbox methods live beside it, one job per file: plan_apply.cpp,
// delivery.cpp, versions.cpp, admin_queries.cpp.
#include "store/outbox.h"

#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/detail/schema.h"

namespace kutsu::store {

using detail::guarded;

std::filesystem::path outbox_file(const std::filesystem::path& state_dir) {
  return state_dir / "kutsu.db";
}

namespace {

// Connection settings, applied on every open (they are not stored in the file,
// except journal_mode).
void configure(detail::Database& db) {
  // Another connection (the reload's, the CLI, a second daemon by mistake)
  // may hold the write lock briefly; wait for it rather than failing at once.
  db.wait_when_busy(std::chrono::seconds(5));
  // WAL: readers (the admin API) never block the writer, and a commit is one
  // append to the log instead of a rewrite of the pages.
  std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    throw detail::SqliteError("cannot switch to WAL mode (journal_mode stays '" + mode +
                              "'); is the state directory on a local file system?");
  }
  // NORMAL in WAL mode syncs at checkpoints, not at every commit. A killed
  // process loses nothing (the log is in the OS's hands once written); a
  // power cut may roll back the last commits, which the design absorbs: a
  // lost "sent" is sent again (delivery is at least once, receivers
  // de-duplicate by id) and a lost plan is re-planned from the series files
  // on start-up. The database itself is never corrupted either way.
  db.exec("PRAGMA synchronous = NORMAL");
  // 64 MiB of page cache (the default is 2 MiB): planning a large series
  // touches every page of its indexes; with the default, a first load of a
  // million rows took nearly twice as long (bench/store_bench.cpp).
  db.exec("PRAGMA cache_size = -65536");
  db.exec("PRAGMA foreign_keys = ON");
  // The log file is never cut back while the daemon runs (SQLite's default,
  // set here so that nobody adds a limit without reading this): SQLite cuts
  // it inside a commit, holding the write lock, and freeing the gigabytes a
  // reload of 500,000 rows leaves behind took 45–365 ms, in which no claim
  // could be written: those reminders were that late (bench/run daemon,
  // reload case: max 300 ms with a 64 MiB limit, 23 ms without). The file
  // is reused from its start after each checkpoint and removed when the
  // last connection closes, so the disk holds at most the largest reload's
  // log (3 GB for that one) while the daemon runs.
  db.exec("PRAGMA journal_size_limit = -1");
  // Commits never copy the log into the file themselves (checkpointer.h):
  // on the event loop that would be two fsyncs in the middle of a claim.
  db.checkpoint_in_background();
  if (db.query_integer("PRAGMA foreign_keys") != 1) {
    throw detail::SqliteError("this SQLite was built without foreign key support");
  }
}

}  // namespace

Result<Outbox> Outbox::open(const std::filesystem::path& file) {
  return guarded("opening the outbox " + file.string(), [&]() -> Result<Outbox> {
    auto db = std::make_unique<detail::Database>(detail::Database::open(file));
    configure(*db);
    if (Status migrated = detail::migrate(*db, detail::outbox_migrations()); !migrated) {
      return migrated.error();
    }
    return Outbox(std::move(db));
  });
}

Outbox::Outbox(std::unique_ptr<detail::Database> db) : db_(std::move(db)) {}
Outbox::~Outbox() = default;
Outbox::Outbox(Outbox&&) noexcept = default;
Outbox& Outbox::operator=(Outbox&&) noexcept = default;

const std::filesystem::path& Outbox::file() const { return db_->file(); }

const StoreHealth& Outbox::health() const { return db_->health(); }

void Outbox::share_health(const Outbox& other) { db_->share_health(other.db_->shared_health()); }

void Outbox::yield_to(const Outbox& other) { db_->watch_lock_waits(*other.db_); }

std::string Outbox::claimable_filter() const {
  std::string filter;
  if (holding_) filter += " AND series_id NOT IN (SELECT series_id FROM temp.held_series)";
  // A literal, not a parameter: it changes once per reload, and the
  // statements are prepared per call anyway.
  if (in_force_) filter += " AND plan_generation <= " + std::to_string(*in_force_);
  return filter;
}

Result<PlanGeneration> Outbox::next_plan_generation() {
  return guarded(*db_, "next_plan_generation", [&]() -> Result<PlanGeneration> {
    detail::Statement next = db_->prepare(
        "UPDATE plan_generation SET current = current + 1 WHERE only = 1 RETURNING current");
    if (!next.step()) throw detail::SqliteError("the plan_generation row is missing");
    const PlanGeneration generation = next.integer(0);
    next.run();  // finish the statement: RETURNING writes on the last step
    return generation;
  });
}

int Outbox::schema_version() { return detail::outbox_migrations().back().version; }

Result<std::optional<Instant>> Outbox::next_due() {
  return guarded(*db_, "next_due", [&]() -> Result<std::optional<Instant>> {
    // Two index probes (ORDER BY … LIMIT 1 walks the index from its start);
    // the smaller answer wins.
    // With series held, each probe walks on past their rows.
    const std::string unheld = claimable_filter();
    detail::Statement statement = db_->prepare(
        "SELECT min(t) FROM ("
        " SELECT * FROM (SELECT due AS t FROM notifications WHERE state = 'pending'" +
        unheld +
        "  ORDER BY due LIMIT 1)"
        " UNION ALL"
        " SELECT * FROM (SELECT next_attempt_at AS t FROM notifications WHERE state = 'retrying'" +
        unheld + "  ORDER BY next_attempt_at LIMIT 1))");
    if (!statement.step()) return std::optional<Instant>();
    return statement.optional_time(0);
  });
}

Status Outbox::hold_series(std::span<const std::string> series_ids) {
  return guarded(*db_, "hold_series", [&]() -> Status {
    db_->exec("CREATE TEMP TABLE IF NOT EXISTS held_series (series_id TEXT PRIMARY KEY) STRICT");
    detail::Transaction transaction(*db_);
    db_->exec("DELETE FROM temp.held_series");
    detail::Statement insert =
        db_->prepare("INSERT OR IGNORE INTO temp.held_series (series_id) VALUES (?1)");
    for (const std::string& id : series_ids) {
      insert.bind(1, std::string_view(id));
      insert.run();
    }
    transaction.commit();
    holding_ = !series_ids.empty();
    return {};
  }, detail::Vouches::no);  // a TEMP table: nothing reached the disk
}

Result<std::size_t> Outbox::recover_interrupted(Instant now) {
  return guarded(*db_, "recover_interrupted", [&]() -> Result<std::size_t> {
    // A row that was attempted before keeps counting its attempts as a retry
    // that is due now; a first attempt simply becomes pending again.
    detail::Statement statement = db_->prepare(
        "UPDATE notifications SET"
        " state = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'pending' END,"
        " next_attempt_at = CASE WHEN attempts > 0 THEN ?1 ELSE NULL END,"
        " updated_at = ?1"
        " WHERE state = 'sending'");
    statement.bind(1, now).run();
    return static_cast<std::size_t>(db_->changes());
  });
}

}  // namespace kutsu::store
