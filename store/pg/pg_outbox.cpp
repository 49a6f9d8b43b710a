// PgOutbox: construction, the statement runner, the claim filter, and the
// outbox's smaller operations (generations, hold, missed, retry, versions,
// heartbeat). Claims and results: pg_outbox_claims.cpp; plans:
// pg_outbox_plan.cpp.
#include "store/pg/pg_outbox.h"

#include <boost/asio/post.hpp>
#include <limits>
#include <utility>

#include "store/pg/pg_text.h"

namespace kutsu::store::pg {

PgOutbox::PgOutbox(boost::asio::io_context& io, PgConnection& connection,
                   PgConnection& plan_connection, PgOutboxSettings settings)
    : io_(io),
      connection_(connection),
      plan_connection_(plan_connection),
      settings_(std::move(settings)) {}

PgOutbox::~PgOutbox() {
  life_.reset();
  // An apply abandoned half-way holds its transaction, and with it the
  // plan lock every node's applies wait for: let go of both.
  if (applying_) plan_connection_.async_query("ROLLBACK", {}, settings_.query_timeout, [](auto) {});
}

void PgOutbox::fail_later(StatusHandler done, Error error) {
  boost::asio::post(io_, [life = std::weak_ptr<int>(life_), done = std::move(done),
                          error = std::move(error)] {
    if (!life.expired()) done(error);
  });
}

void PgOutbox::run_status(std::string sql, std::vector<Param> params, StatusHandler done) {
  connection_.async_query(std::move(sql), std::move(params), settings_.query_timeout,
                          [life = std::weak_ptr<int>(life_), done = std::move(done)](
                              Result<PgRows> rows) {
                            if (life.expired()) return;
                            done(rows ? Status{} : Status{rows.error()});
                          });
}

std::string PgOutbox::claimable_filter(int first) const {
  const std::string a = "$" + std::to_string(first);
  const std::string b = "$" + std::to_string(first + 1);
  const std::string c = "$" + std::to_string(first + 2);
  const std::string d = "$" + std::to_string(first + 3);
  // A filter on each row rather than a join with the loaded versions, and
  // one the planner does not think rare. With the join it drove the scan
  // from the series index; with a plain `version = ($b)[…]` it guessed that
  // one row in 200 passes (its default for an expression) and chose to read
  // and sort every due row. Either way each claim of a burst read the whole
  // burst. A NULL test on an expression is guessed to pass nearly always,
  // so the planner walks the pending rows' (due, id) index in order
  // (notifications_pending_by_due) and stops at the limit. NULLIF turns a false comparison into NULL; array_position is
  // NULL for a series not loaded, and so is the comparison.
  return " AND nullif(n.series_version = (" + b + "::text[])[array_position(" + a +
         "::text[], n.series_id)], false) IS NOT NULL AND NOT (n.series_id = ANY (" + c +
         "::text[])) AND n.plan_generation <= " + d + "::bigint";
}

std::vector<Param> PgOutbox::claimable_params() const {
  std::vector<std::string> series;
  std::vector<std::string> hashes;
  for (const auto& [id, hash] : loaded_) {
    series.push_back(id);
    hashes.push_back(hash);
  }
  const PlanGeneration generation = in_force_.value_or(std::numeric_limits<PlanGeneration>::max());
  return {array_literal(series), array_literal(hashes), array_literal(held_),
          std::to_string(generation)};
}

void PgOutbox::async_next_plan_generation(Handler<PlanGeneration> done) {
  run<PlanGeneration>(
      "UPDATE plan_generation SET current = current + 1 WHERE one = 1 RETURNING current", {},
      std::move(done), [](const PgRows& rows) -> Result<PlanGeneration> {
        if (rows.size() != 1) return Error{"the plan_generation row is missing", ErrorCode::failed};
        return integer_at(rows, 0, 0);
      });
}

void PgOutbox::async_next_due(Handler<std::optional<Instant>> done) {
  const std::string filter = claimable_filter(1);
  run<std::optional<Instant>>(
      "SELECT least("
      " (SELECT min(n.due) FROM notifications n WHERE n.state = 'pending'" + filter + "),"
      " (SELECT min(n.next_attempt_at) FROM notifications n WHERE n.state = 'retrying'" + filter +
          "))",
      claimable_params(), std::move(done),
      [](const PgRows& rows) -> Result<std::optional<Instant>> {
        if (rows.empty()) return std::optional<Instant>();
        return optional_instant_at(rows, 0, 0);
      });
}

void PgOutbox::async_hold_series(std::vector<std::string> series_ids, StatusHandler done) {
  held_ = std::move(series_ids);
  boost::asio::post(io_, [life = std::weak_ptr<int>(life_), done = std::move(done)] {
    if (!life.expired()) done(Status{});
  });
}

struct PgOutbox::MissedIds {
  std::vector<std::string> ids;
  std::string now;
  std::string states;
};

void PgOutbox::async_mark_missed(std::vector<std::string> ids, Instant now, MissScope scope,
                                 Handler<std::size_t> done) {
  const std::string states =
      scope == MissScope::unsent ? "('pending', 'retrying', 'sending')" : "('pending')";
  mark_missed_from(std::make_shared<MissedIds>(MissedIds{std::move(ids), seconds_text(now), states}),
                   0, 0, std::move(done));
}

// A first load of a long series can make hundreds of thousands of rows
// overdue at once; as one statement that outlasted query_timeout. Each
// chunk stands alone: a row marked stays marked, and one left pending by a
// failure is caught by the dispatcher's misfire rule when it is claimed.
void PgOutbox::mark_missed_from(std::shared_ptr<MissedIds> missed, std::size_t first,
                                std::size_t marked, Handler<std::size_t> done) {
  const std::size_t end = std::min(missed->ids.size(), first + settings_.rows_per_statement);
  std::vector<std::string> chunk(missed->ids.begin() + static_cast<std::ptrdiff_t>(first),
                                 missed->ids.begin() + static_cast<std::ptrdiff_t>(end));
  run<std::size_t>(
      "UPDATE notifications SET state = 'missed', next_attempt_at = NULL, updated_at = $2,"
      " claimed_by = NULL, lease_until = NULL"
      " WHERE id = ANY ($1::text[]) AND state IN " + missed->states,
      {array_literal(chunk), missed->now},
      [this, missed, end, marked, done = std::move(done)](Result<std::size_t> chunk_marked) mutable {
        if (!chunk_marked) return done(chunk_marked.error());
        if (end == missed->ids.size()) return done(marked + *chunk_marked);
        mark_missed_from(std::move(missed), end, marked + *chunk_marked, std::move(done));
      },
      [](const PgRows& rows) -> Result<std::size_t> {
        return static_cast<std::size_t>(rows.affected);
      });
}

void PgOutbox::async_overdue_unsent(std::string series_id, Instant now,
                                    Handler<std::vector<std::string>> done) {
  run<std::vector<std::string>>(
      "SELECT id FROM notifications WHERE state IN ('pending', 'retrying', 'sending')"
      " AND due < $2 AND series_id = $1 ORDER BY id COLLATE \"C\"",
      {std::move(series_id), seconds_text(now)}, std::move(done),
      [](const PgRows& rows) -> Result<std::vector<std::string>> {
        std::vector<std::string> ids;
        ids.reserve(rows.size());
        for (std::size_t row = 0; row < rows.size(); ++row) ids.push_back(text_at(rows, row, 0));
        return ids;
      });
}

void PgOutbox::async_listen_for_wakes(std::function<void()> on_wake, StatusHandler done) {
  on_wake_ = std::move(on_wake);
  connection_.on_notification([this, life = std::weak_ptr<int>(life_)](
                                  const PgNotification& notification) {
    if (life.expired() || notification.channel != kWakeChannel || !on_wake_) return;
    on_wake_();
  });
  connection_.async_listen(kWakeChannel, settings_.query_timeout,
                           [life = std::weak_ptr<int>(life_), done = std::move(done)](Status listening) {
                             if (!life.expired()) done(std::move(listening));
                           });
}

void PgOutbox::async_listen_again(StatusHandler done) {
  if (!on_wake_) {
    boost::asio::post(io_, [life = std::weak_ptr<int>(life_), done = std::move(done)] {
      if (!life.expired()) done(Status{});
    });
    return;
  }
  connection_.async_listen(kWakeChannel, settings_.query_timeout,
                           [life = std::weak_ptr<int>(life_), done = std::move(done)](Status listening) {
                             if (!life.expired()) done(std::move(listening));
                           });
}

void PgOutbox::async_retry(std::string id, Instant now, StatusHandler done) {
  // The row is due at once: every node hears of it (NOTIFY, sent at commit).
  run<bool>(
      "WITH found AS (SELECT state FROM notifications WHERE id = $1),"
      " changed AS (UPDATE notifications SET state = 'pending', attempts = 0,"
      "  next_attempt_at = NULL, updated_at = $2"
      "  WHERE id = $1 AND state IN ('failed', 'missed') RETURNING id)"
      " SELECT (SELECT state FROM found), (SELECT count(*) FROM changed),"
      "  (SELECT count(*) FROM (SELECT pg_notify('" + std::string(kWakeChannel) +
          "', '') FROM changed) AS told)",
      {id, seconds_text(now)},
      [done = std::move(done)](Result<bool> result) {
        if (!result) return done(result.error());
        done(Status{});
      },
      [id](const PgRows& rows) -> Result<bool> {
        if (rows.empty() || !rows.at(0, 0)) {
          return Error{"no notification " + id, ErrorCode::not_found};
        }
        if (integer_at(rows, 0, 1) == 0) {
          return Error{"notification " + id + " is " + *rows.at(0, 0) +
                           "; only failed or missed notifications can be retried",
                       ErrorCode::conflict};
        }
        return true;
      });
}

// --- Versions ----------------------------------------------------------------

namespace {

constexpr std::string_view kSeriesColumns = "series_id, content_hash, loaded_at, ok, errors";
constexpr std::string_view kSessionColumns =
    "series_id, session_id, starts_at, ends_at, sequence, cancelled, previous_starts_at,"
    " previous_ends_at, title, removed_at, changed_at";

SeriesVersion series_version_at(const PgRows& rows, std::size_t row) {
  return SeriesVersion{text_at(rows, row, 0), text_at(rows, row, 1), instant_at(rows, row, 2),
                       bool_at(rows, row, 3), text_at(rows, row, 4)};
}

SessionVersion session_version_at(const PgRows& rows, std::size_t row) {
  return SessionVersion{text_at(rows, row, 0),
                        text_at(rows, row, 1),
                        instant_at(rows, row, 2),
                        instant_at(rows, row, 3),
                        static_cast<int>(integer_at(rows, row, 4)),
                        bool_at(rows, row, 5),
                        optional_instant_at(rows, row, 6),
                        optional_instant_at(rows, row, 7),
                        text_at(rows, row, 8),
                        optional_instant_at(rows, row, 9),
                        optional_instant_at(rows, row, 10)};
}

}  // namespace

void PgOutbox::async_put_series_version(SeriesVersion version, StatusHandler done) {
  run_status("INSERT INTO series_versions (" + std::string(kSeriesColumns) +
                 ") VALUES ($1, $2, $3, $4, $5)"
                 " ON CONFLICT (series_id) DO UPDATE SET content_hash = excluded.content_hash,"
                 " loaded_at = excluded.loaded_at, ok = excluded.ok, errors = excluded.errors",
             {version.series_id, version.content_hash, seconds_text(version.loaded_at),
              std::string(version.ok ? "t" : "f"), version.errors},
             std::move(done));
}

void PgOutbox::async_series_version(std::string series_id,
                                    Handler<std::optional<SeriesVersion>> done) {
  run<std::optional<SeriesVersion>>(
      "SELECT " + std::string(kSeriesColumns) + " FROM series_versions WHERE series_id = $1",
      {series_id}, std::move(done), [](const PgRows& rows) -> Result<std::optional<SeriesVersion>> {
        if (rows.empty()) return std::optional<SeriesVersion>();
        return std::optional<SeriesVersion>(series_version_at(rows, 0));
      });
}

void PgOutbox::async_series_versions(Handler<std::vector<SeriesVersion>> done) {
  // COLLATE "C": SQLite's order (bytes), whatever the database's collation.
  run<std::vector<SeriesVersion>>(
      "SELECT " + std::string(kSeriesColumns) + " FROM series_versions ORDER BY series_id COLLATE \"C\"",
      {}, std::move(done), [](const PgRows& rows) -> Result<std::vector<SeriesVersion>> {
        std::vector<SeriesVersion> versions;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          versions.push_back(series_version_at(rows, row));
        }
        return versions;
      });
}

void PgOutbox::async_put_session_version(SessionVersion version, StatusHandler done) {
  run_status("INSERT INTO session_versions (" + std::string(kSessionColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                 " ON CONFLICT (series_id, session_id) DO UPDATE SET"
                 " starts_at = excluded.starts_at, ends_at = excluded.ends_at,"
                 " sequence = excluded.sequence, cancelled = excluded.cancelled,"
                 " previous_starts_at = excluded.previous_starts_at,"
                 " previous_ends_at = excluded.previous_ends_at,"
                 " title = excluded.title, removed_at = excluded.removed_at,"
                 " changed_at = excluded.changed_at",
             {version.series_id, version.session_id, seconds_text(version.start),
              seconds_text(version.end), std::to_string(version.sequence),
              std::string(version.cancelled ? "t" : "f"), seconds_param(version.previous_start),
              seconds_param(version.previous_end), version.title, seconds_param(version.removed_at),
              seconds_param(version.changed_at)},
             std::move(done));
}

void PgOutbox::async_session_version(std::string series_id, std::string session_id,
                                     Handler<std::optional<SessionVersion>> done) {
  run<std::optional<SessionVersion>>(
      "SELECT " + std::string(kSessionColumns) +
          " FROM session_versions WHERE series_id = $1 AND session_id = $2",
      {series_id, session_id}, std::move(done),
      [](const PgRows& rows) -> Result<std::optional<SessionVersion>> {
        if (rows.empty()) return std::optional<SessionVersion>();
        return std::optional<SessionVersion>(session_version_at(rows, 0));
      });
}

void PgOutbox::async_session_versions(std::string series_id,
                                      Handler<std::vector<SessionVersion>> done) {
  run<std::vector<SessionVersion>>(
      "SELECT " + std::string(kSessionColumns) +
          " FROM session_versions WHERE series_id = $1 ORDER BY session_id COLLATE \"C\"",
      {series_id}, std::move(done), [](const PgRows& rows) -> Result<std::vector<SessionVersion>> {
        std::vector<SessionVersion> versions;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          versions.push_back(session_version_at(rows, row));
        }
        return versions;
      });
}

void PgOutbox::async_invitation_sent(std::string series_id, Handler<bool> done) {
  run<bool>(
      "SELECT EXISTS (SELECT 1 FROM notifications"
      " WHERE series_id = $1 AND session_id IS NULL AND state IN ('sent', 'sending'))",
      {series_id}, std::move(done),
      [](const PgRows& rows) -> Result<bool> { return !rows.empty() && bool_at(rows, 0, 0); });
}

// --- Nodes -------------------------------------------------------------------

void PgOutbox::async_heartbeat(StatusHandler done) {
  std::vector<std::string> series;
  std::vector<std::string> hashes;
  for (const auto& [id, hash] : loaded_) {
    series.push_back(id);
    hashes.push_back(hash);
  }
  const bool starting = !heartbeat_started_;
  heartbeat_started_ = true;
  // One statement: the node row and its versions change together. The
  // foreign key of node_series is checked at the statement's end, when the
  // node row is there.
  run_status(
      "WITH node AS (INSERT INTO nodes (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET"
      "  heartbeat_at = clock_timestamp(),"
      "  started_at = CASE WHEN $4::boolean THEN clock_timestamp() ELSE nodes.started_at END"
      "  RETURNING name),"
      " gone AS (DELETE FROM node_series WHERE node = $1 AND NOT (series_id = ANY ($2::text[]))),"
      " loaded AS (INSERT INTO node_series (node, series_id, content_hash)"
      "  SELECT $1, s, h FROM unnest($2::text[], $3::text[]) AS u(s, h)"
      "  ON CONFLICT (node, series_id) DO UPDATE SET content_hash = excluded.content_hash)"
      " SELECT count(*) FROM node",
      {settings_.node, array_literal(series), array_literal(hashes),
       std::string(starting ? "t" : "f")},
      std::move(done));
}

}  // namespace kutsu::store::pg
