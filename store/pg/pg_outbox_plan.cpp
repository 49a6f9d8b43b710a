// PgOutbox::async_apply_plan: a reload is a diff, as in SQLite
// (store/plan_apply.cpp), but computed by the server: the wanted ids and
// dues go into a temporary table in chunks of rows_per_statement, one
// statement with data-modifying CTEs moves, revives and supersedes what
// differs, and whole rows are built and sent only for the ids that are new.
// All of it in one transaction under the advisory lock kPlanLock: a second
// node applying the same change waits for the first, then reads its rows
// (each statement under READ COMMITTED sees what committed before it) and
// finds nothing left to do; with a plan digest (ApplyOptions), which the
// first stored in its transaction, it leaves without reading a row. Rows
// whose recipient opted out go into the table marked opted_out (so a
// repeated id is still caught) and count as not wanted, exactly as
// SQLite's OptOutFilter leaves them out: never inserted or revived,
// superseded if still pending or retrying.
#include <algorithm>
#include <memory>
#include <sstream>
#include <tuple>

#include "store/detail/opt_out_filter.h"
#include "store/pg/pg_outbox.h"
#include "store/pg/pg_schema.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::pg {
namespace {

bool lowercase_hex(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The first id planned twice (only asked once the server found one).
std::string repeated_id(const PlannedRows& wanted) {
  std::vector<IdDigits> ids;
  ids.reserve(wanted.size());
  for (std::size_t index = 0; index < wanted.size(); ++index) ids.push_back(wanted.id(index));
  std::sort(ids.begin(), ids.end());
  auto twice = std::adjacent_find(ids.begin(), ids.end());
  return twice == ids.end() ? std::string("?") : std::string(twice->data(), twice->size());
}

// A plan that adds this many rows refreshes the planner's statistics.
constexpr std::size_t kAnalyzeAfterInserting = 1000;

// Every row of the series against the wanted table, all changes in one
// statement (one snapshot, so each row lands in exactly one change). Each
// UPDATE re-checks the state it was chosen by: READ COMMITTED re-reads a
// row another connection changed meanwhile (a claim), and leaves it be.
// $1 series, $2 now, $3 generation, $4 series version.
constexpr std::string_view kDiff = R"sql(
WITH stored AS MATERIALIZED (
  SELECT n.id, n.state, n.due, n.series_version, w.due AS wanted_due
  FROM notifications n LEFT JOIN plan_wanted w ON w.id = n.id AND NOT w.opted_out
  WHERE n.series_id = $1),
moved AS (
  UPDATE notifications n SET due = s.wanted_due, updated_at = $2::bigint,
    plan_generation = $3::bigint, series_version = $4
  FROM stored s
  WHERE n.id = s.id AND s.wanted_due IS NOT NULL AND s.state IN ('pending', 'retrying')
    AND s.due <> s.wanted_due AND n.state IN ('pending', 'retrying')
  RETURNING n.id, n.due, n.state),
refreshed AS (
  UPDATE notifications n SET series_version = $4
  FROM stored s
  WHERE n.id = s.id AND s.wanted_due IS NOT NULL AND s.state IN ('pending', 'retrying')
    AND s.due = s.wanted_due AND s.series_version <> $4 AND n.state IN ('pending', 'retrying')),
revived AS (
  UPDATE notifications n SET state = 'pending', due = s.wanted_due, attempts = 0,
    next_attempt_at = NULL, updated_at = $2::bigint, plan_generation = $3::bigint,
    series_version = $4
  FROM stored s
  WHERE n.id = s.id AND s.wanted_due IS NOT NULL AND s.state = 'superseded'
    AND n.state = 'superseded'
  RETURNING n.id, n.due),
dropped AS (
  UPDATE notifications n SET state = 'superseded', next_attempt_at = NULL, updated_at = $2::bigint
  FROM stored s
  WHERE n.id = s.id AND s.wanted_due IS NULL AND s.state IN ('pending', 'retrying')
    AND n.state IN ('pending', 'retrying')
  RETURNING n.id, n.series_id, n.session_id, n.kind, n.reminder_offset, n.channel, n.recipient,
    n.due, n.session_start, n.state, n.attempts, n.next_attempt_at, n.last_result, n.created_at,
    n.updated_at, n.sent_at)
SELECT 'counts' AS tag,
  (SELECT count(*) FROM moved) AS moved,
  (SELECT count(*) FROM revived) AS revived,
  (SELECT count(*) FROM stored WHERE wanted_due IS NOT NULL AND state IN ('pending', 'retrying')
     AND due = wanted_due) AS unchanged,
  (SELECT string_agg(id, ',') FROM (
     SELECT id FROM moved WHERE state = 'pending' AND due < $2::bigint
     UNION ALL SELECT id FROM revived WHERE due < $2::bigint) late) AS overdue,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
UNION ALL
SELECT 'superseded', NULL, NULL, NULL, NULL, d.* FROM dropped d
)sql";

constexpr std::string_view kInsert = R"sql(
INSERT INTO notifications (id, series_id, session_id, kind, reminder_offset, channel, recipient,
  due, session_start, state, attempts, created_at, updated_at, plan_generation, series_version)
SELECT u.id, $1, u.session_id, u.kind, u.reminder_offset, u.channel, u.recipient, u.due,
  u.session_start, 'pending', 0, $2::bigint, $2::bigint, $3::bigint, $4
FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
            $11::bigint[], $12::bigint[])
  AS u(id, session_id, kind, reminder_offset, channel, recipient, due, session_start)
ON CONFLICT (id) DO NOTHING
)sql";

}  // namespace

class PgOutbox::Apply : public std::enable_shared_from_this<PgOutbox::Apply> {
 public:
  Apply(PgOutbox& outbox, std::string series_id, std::string version, const PlannedRows& wanted,
        Instant now, ApplyOptions options, Handler<PlanDiff> done)
      : outbox_(outbox),
        life_(outbox.life_),
        series_id_(std::move(series_id)),
        version_(std::move(version)),
        wanted_(wanted),
        now_(now),
        options_(options),
        done_(std::move(done)) {}

  void start() {
    step("BEGIN", {}, [](Apply& self, PgRows) { self.lock(); });
  }

 private:
  using Next = void (*)(Apply&, PgRows);

  // One statement of the transaction; `next` runs with its rows, a failure
  // rolls the whole apply back.
  void step(std::string sql, std::vector<Param> params, Next next) {
    outbox_.plan_connection_.async_query(
        std::move(sql), std::move(params), outbox_.settings_.plan_timeout,
        [self = shared_from_this(), next](Result<PgRows> rows) {
          if (self->life_.expired()) return;
          if (!rows) return self->fail(rows.error());
          try {
            next(*self, std::move(rows).value());
          } catch (const MalformedResult& malformed) {
            self->fail(Error{std::string("the PostgreSQL outbox answered with ") + malformed.what(),
                             ErrorCode::failed});
          }
        });
  }

  void lock() {
    step("SELECT pg_advisory_xact_lock($1)", {std::to_string(kPlanLock)},
         [](Apply& self, PgRows) { self.compare_digest(); });
  }

  // Under the lock: a node applying the same change after another finds
  // its digest stored and leaves at once.
  void compare_digest() {
    if (options_.plan_digest.empty()) return read_opt_outs();
    step("SELECT digest FROM plan_digests WHERE series_id = $1", {series_id_},
         [](Apply& self, PgRows rows) {
           if (rows.empty() || text_at(rows, 0, 0) != self.options_.plan_digest) {
             return self.read_opt_outs();
           }
           self.diff_.same_plan = true;
           self.step("COMMIT", {}, [](Apply& self, PgRows) { self.finish(std::move(self.diff_)); });
         });
  }

  void read_opt_outs() {
    // Under the lock and in the transaction: an opt-out committed before
    // this statement is honoured; one after it stops its rows itself.
    step("SELECT recipient, scope FROM opt_outs WHERE series_id = $1", {series_id_},
         [](Apply& self, PgRows rows) {
           self.opted_out_.clear();
           for (std::size_t row = 0; row < rows.size(); ++row) {
             std::optional<OptOutScope> scope = parse_opt_out_scope(text_at(rows, row, 1));
             if (!scope) throw MalformedResult("an opt-out scope that is neither reminders nor all");
             self.opted_out_.add(text_at(rows, row, 0), *scope);
           }
           self.make_table();
         });
  }

  void make_table() {
    // Kept by the session, emptied by every commit (and by a rollback).
    step("CREATE TEMP TABLE IF NOT EXISTS plan_wanted ("
         " id text PRIMARY KEY, due bigint NOT NULL, ix integer NOT NULL,"
         " opted_out boolean NOT NULL) ON COMMIT DELETE ROWS",
         {}, [](Apply& self, PgRows) { self.fill(); });
  }

  void fill() {
    if (next_ == wanted_.size()) {
      // Statistics, so that the joins below are planned for its real size.
      return step("ANALYZE plan_wanted", {}, [](Apply& self, PgRows) { self.check_foreign(); });
    }
    const std::size_t end = std::min(wanted_.size(), next_ + outbox_.settings_.rows_per_statement);
    std::vector<std::string> ids, dues, indexes, left_out;
    for (; next_ < end; ++next_) {
      const IdDigits digits = wanted_.id(next_);
      std::string id(digits.data(), digits.size());
      if (!lowercase_hex(id)) {
        return fail(Error{"notification id '" + id + "' is not 32 lowercase hex digits",
                          ErrorCode::invalid});
      }
      ids.push_back(std::move(id));
      dues.push_back(seconds_text(wanted_.due(next_)));
      indexes.push_back(std::to_string(next_));
      const bool out = !opted_out_.empty() &&
                       opted_out_.excludes(wanted_.kind(next_), wanted_.channel(next_),
                                           wanted_.recipient(next_));
      if (out) ++diff_.opted_out;
      left_out.push_back(out ? "t" : "f");
    }
    step("INSERT INTO plan_wanted (id, due, ix, opted_out)"
         " SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::boolean[])",
         {array_literal(ids), array_literal(dues), array_literal(indexes), array_literal(left_out)},
         [](Apply& self, PgRows) { self.fill(); });
  }

  void check_foreign() {
    step("SELECT w.id, n.series_id FROM plan_wanted w JOIN notifications n ON n.id = w.id"
         " WHERE n.series_id <> $1 AND NOT w.opted_out LIMIT 1",
         {series_id_}, [](Apply& self, PgRows rows) {
           if (!rows.empty()) {
             return self.fail(Error{"notification " + text_at(rows, 0, 0) +
                                        " already belongs to series " + text_at(rows, 0, 1),
                                    ErrorCode::conflict});
           }
           self.find_new();
         });
  }

  void find_new() {
    // In id order, so that the inserts below append to the primary key's
    // index rather than land all over it.
    step("SELECT w.ix FROM plan_wanted w"
         " WHERE NOT w.opted_out AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = w.id)"
         " ORDER BY w.id COLLATE \"C\"",
         {}, [](Apply& self, PgRows rows) {
           self.new_.reserve(rows.size());
           for (std::size_t row = 0; row < rows.size(); ++row) {
             self.new_.push_back(static_cast<std::size_t>(integer_at(rows, row, 0)));
           }
           self.diff_stored();
         });
  }

  void diff_stored() {
    step(std::string(kDiff), common_params(), [](Apply& self, PgRows rows) {
      for (std::size_t row = 0; row < rows.size(); ++row) {
        if (text_at(rows, row, 0) == "superseded") {
          self.diff_.superseded.push_back(notification_at(rows, row, 5));
          continue;
        }
        self.diff_.rescheduled = static_cast<std::size_t>(integer_at(rows, row, 1));
        self.diff_.revived = static_cast<std::size_t>(integer_at(rows, row, 2));
        self.diff_.unchanged = static_cast<std::size_t>(integer_at(rows, row, 3));
        if (rows.at(row, 4)) {
          std::istringstream late(*rows.at(row, 4));
          for (std::string id; std::getline(late, id, ',');) self.diff_.overdue.push_back(id);
        }
      }
      self.insert();
    });
  }

  void insert() {
    if (inserted_ == new_.size()) return commit();
    const std::size_t end = std::min(new_.size(), inserted_ + outbox_.settings_.rows_per_statement);
    std::vector<Param> ids, sessions, kinds, offsets, channels, recipients, dues, starts;
    for (std::size_t i = inserted_; i < end; ++i) {
      PlannedNotification row = wanted_.row(new_[i]);
      if (row.due < now_) diff_.overdue.push_back(row.id);
      ids.push_back(std::move(row.id));
      sessions.push_back(std::move(row.session_id));
      kinds.push_back(std::move(row.kind));
      offsets.push_back(std::move(row.offset));
      channels.push_back(std::move(row.channel));
      recipients.push_back(std::move(row.recipient));
      dues.push_back(seconds_text(row.due));
      starts.push_back(seconds_text(row.session_start));
    }
    chunk_ = end - inserted_;
    inserted_ = end;
    std::vector<Param> params = common_params();
    for (auto* column : {&ids, &sessions, &kinds, &offsets, &channels, &recipients, &dues, &starts}) {
      params.push_back(array_literal(*column));
    }
    step(std::string(kInsert), std::move(params), [](Apply& self, PgRows rows) {
      if (static_cast<std::size_t>(rows.affected) != self.chunk_) {
        // Under the lock nobody else inserts: only a broken invariant gets here.
        return self.fail(Error{"notifications of series " + self.series_id_ +
                                   " appeared while its plan was applied",
                               ErrorCode::conflict});
      }
      self.diff_.inserted += self.chunk_;
      self.insert();
    });
  }

  void commit() {
    const std::size_t stored_wanted = wanted_.size() - diff_.opted_out - new_.size();
    diff_.kept = stored_wanted - std::min(stored_wanted, diff_.rescheduled + diff_.revived +
                                                             diff_.unchanged);
    std::sort(diff_.superseded.begin(), diff_.superseded.end(),
              [](const NotificationRow& a, const NotificationRow& b) {
                return std::tie(a.due, a.id) < std::tie(b.due, b.id);
              });
    std::sort(diff_.overdue.begin(), diff_.overdue.end());
    // Rows new, moved or brought back may be due before what the nodes wait
    // for: tell them, in the transaction, so they hear it once committed.
    // (A move to a later due wakes them for nothing; they only look again.)
    if (diff_.inserted + diff_.rescheduled + diff_.revived > 0) {
      return step("SELECT pg_notify($1, '')", {std::string(kWakeChannel)},
                  [](Apply& self, PgRows) { self.store_digest(); });
    }
    store_digest();
  }

  void store_digest() {
    if (options_.plan_digest.empty()) {
      step("DELETE FROM plan_digests WHERE series_id = $1", {series_id_},
           [](Apply& self, PgRows) { self.commit_plan(); });
    } else {
      step("INSERT INTO plan_digests (series_id, digest) VALUES ($1, $2)"
           " ON CONFLICT (series_id) DO UPDATE SET digest = excluded.digest",
           {series_id_, options_.plan_digest}, [](Apply& self, PgRows) { self.commit_plan(); });
    }
  }

  void commit_plan() {
    step("COMMIT", {}, [](Apply& self, PgRows) {
      if (self.diff_.inserted < kAnalyzeAfterInserting) return self.finish(std::move(self.diff_));
      self.analyze();
    });
  }

  // Fresh statistics before the rows come due. Autovacuum would take a
  // minute to notice a table that grew tenfold, and until then the planner
  // believes its old counts: a burst right after a big first load was
  // claimed through a bitmap scan and a sort of every due row, and its
  // results recorded through a hash over the whole table, for each batch.
  // The plan is committed already, so a failed ANALYZE costs only speed;
  // a lost connection shows itself on the next statement.
  void analyze() {
    outbox_.plan_connection_.async_query(
        "ANALYZE notifications", {}, outbox_.settings_.plan_timeout,
        [self = shared_from_this()](Result<PgRows>) {
          if (self->life_.expired()) return;
          self->finish(std::move(self->diff_));
        });
  }

  std::vector<Param> common_params() const {
    return {series_id_, seconds_text(now_), std::to_string(options_.generation), version_};
  }

  void fail(Error error) {
    if (sqlstate(error) == "23505") {  // unique_violation in plan_wanted
      error = Error{"notification " + repeated_id(wanted_) + " is planned twice",
                    ErrorCode::invalid};
    }
    // Whatever failed, the transaction ends here (a ROLLBACK outside one
    // is only a warning); on a lost connection the server has ended it.
    outbox_.plan_connection_.async_query(
        "ROLLBACK", {}, outbox_.settings_.query_timeout,
        [self = shared_from_this(), error = std::move(error)](Result<PgRows>) mutable {
          if (self->life_.expired()) return;
          self->finish(std::move(error));
        });
  }

  void finish(Result<PlanDiff> result) {
    Handler<PlanDiff> done = std::move(done_);
    PgOutbox& outbox = outbox_;
    outbox.apply_done();  // the next apply only queues its BEGIN
    done(std::move(result));
  }

  PgOutbox& outbox_;
  std::weak_ptr<int> life_;
  std::string series_id_;
  std::string version_;
  const PlannedRows& wanted_;
  Instant now_;
  ApplyOptions options_;
  Handler<PlanDiff> done_;

  std::size_t next_ = 0;          // the next wanted row to send to plan_wanted
  std::vector<std::size_t> new_;  // indexes of wanted rows to insert, in id order
  std::size_t inserted_ = 0;      // of new_, sent
  std::size_t chunk_ = 0;         // rows in the insert in flight
  detail::OptOutFilter opted_out_;  // the series' opt-outs, read under the lock
  PlanDiff diff_;
};

void PgOutbox::async_apply_plan(std::string series_id, std::string series_version,
                                const PlannedRows& wanted, Instant now, ApplyOptions options,
                                Handler<PlanDiff> done) {
  auto apply = std::make_shared<Apply>(*this, std::move(series_id), std::move(series_version),
                                       wanted, now, options, std::move(done));
  queue_apply([apply] { apply->start(); });
}

void PgOutbox::queue_apply(std::function<void()> start) {
  applies_.push_back(std::move(start));
  if (!applying_) apply_done();
}

void PgOutbox::apply_done() {
  applying_ = !applies_.empty();
  if (!applying_) return;
  std::function<void()> start = std::move(applies_.front());
  applies_.pop_front();
  start();
}

}  // namespace kutsu::store::pg
