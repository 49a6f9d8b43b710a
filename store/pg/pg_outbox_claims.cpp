// PgOutbox's delivery side: claiming with leases, renewing them, recording
// results for the rows this node still holds, and taking over the rows of
// a node whose lease ran out.
#include <algorithm>
#include <limits>
#include <tuple>

#include "store/detail/attempt_text.h"
#include "store/pg/pg_outbox.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::pg {
namespace {

std::string lease_milliseconds(std::chrono::milliseconds lease) {
  return std::to_string(lease.count());
}

// Rows this node claimed are `sending` under its name; others leave them be.
constexpr std::string_view kHeldHere = "(n.state = 'sending' AND n.claimed_by = $9)";

}  // namespace

void PgOutbox::async_claim_due(Instant now, std::size_t limit,
                               Handler<std::vector<NotificationRow>> done) {
  // The rows are chosen and locked in one statement; SKIP LOCKED passes
  // over rows another node is claiming at this moment instead of waiting
  // for it, and the lock is re-checked against the row's newest version, so
  // a row another node claimed and committed meanwhile is not claimed again.
  const auto capped = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
  std::vector<Param> params{seconds_text(now), settings_.node, std::to_string(capped),
                            lease_milliseconds(settings_.lease)};
  for (Param& param : claimable_params()) params.push_back(std::move(param));
  // Pending and retrying rows are picked apart, each in the order of its
  // own index, and merged: with one OR over both states PostgreSQL read
  // the (due, id) index and stepped over every row of the burst already
  // claimed or sent, so each claim of a 20,000-mail burst cost more than
  // the one before (7.8 s of server CPU for 20,000 mails on one node).
  const std::string filter = claimable_filter(5);
  run<std::vector<NotificationRow>>(
      "WITH pending AS ("
      " SELECT n.id, n.due FROM notifications n"
      " WHERE n.state = 'pending' AND n.due <= $1::bigint" + filter +
          " ORDER BY n.due, n.id LIMIT $3::bigint FOR UPDATE SKIP LOCKED),"
          " retrying AS ("
          " SELECT n.id, n.due FROM notifications n"
          " WHERE n.state = 'retrying' AND n.next_attempt_at <= $1::bigint" + filter +
          " ORDER BY n.due, n.id LIMIT $3::bigint FOR UPDATE SKIP LOCKED),"
          " picked AS (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM retrying) either"
          " ORDER BY due, id LIMIT $3::bigint)"
          " UPDATE notifications n SET state = 'sending', updated_at = $1::bigint,"
          " claimed_by = $2, lease_until = clock_timestamp() + $4::bigint * interval '1 millisecond'"
          " FROM picked WHERE n.id = picked.id"
          " RETURNING " +
          std::string(kNotificationColumns),
      std::move(params), std::move(done),
      [](const PgRows& rows) -> Result<std::vector<NotificationRow>> {
        std::vector<NotificationRow> claimed;
        claimed.reserve(rows.size());
        for (std::size_t row = 0; row < rows.size(); ++row) {
          claimed.push_back(notification_at(rows, row));
        }
        // RETURNING yields rows in no promised order.
        std::sort(claimed.begin(), claimed.end(),
                  [](const NotificationRow& a, const NotificationRow& b) {
                    return std::tie(a.due, a.id) < std::tie(b.due, b.id);
                  });
        return claimed;
      });
}

void PgOutbox::async_renew_leases(std::vector<std::string> ids, StatusHandler done) {
  run_status(
      "UPDATE notifications SET lease_until = clock_timestamp() + $3::bigint * interval '1 millisecond'"
      " WHERE id = ANY ($1::text[]) AND state = 'sending' AND claimed_by = $2",
      {array_literal(ids), settings_.node, lease_milliseconds(settings_.lease)}, std::move(done));
}

void PgOutbox::async_record_results(std::vector<RecordedAttempt> attempts, StatusHandler done) {
  std::vector<Param> ids, ats, outcomes, codes, details, summaries, next_ats, states;
  for (const RecordedAttempt& recorded : attempts) {
    if (Status checked = detail::check_attempt(recorded); !checked) {
      return fail_later(std::move(done), checked.error());
    }
    const AttemptResult& result = recorded.attempt.result;
    ids.push_back(recorded.id);
    ats.push_back(seconds_text(recorded.attempt.at));
    outcomes.push_back(std::string(to_string(result.outcome)));
    codes.push_back(result.code ? Param(std::to_string(*result.code)) : std::nullopt);
    details.push_back(result.detail);
    summaries.push_back(detail::summary_of(result));
    next_ats.push_back(seconds_param(recorded.next_attempt_at));
    states.push_back(std::string(to_string(detail::state_after(recorded))));
  }
  // One statement, so the batch is recorded whole or not at all: with an
  // unknown id among them nothing is written, and the id comes back. The
  // state moves (and the claim ends) only for rows this node still holds;
  // a row taken over, retried or missed meanwhile keeps what happened to it.
  // Several attempts at one id: the first decides the state, as the later
  // ones find it no longer sending; each counts and goes into the history.
  // `n.id = ANY ($1)` repeats the join's condition as one the primary key
  // answers: without it the planner hashed the whole table for each batch
  // (3 ms per 64 results in a 20,000-row table).
  const std::string held(kHeldHere);
  run<std::optional<std::string>>(
      "WITH input AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[],"
      "  $5::text[], $6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY"
      "  AS i(id, at, outcome, code, detail, summary, next_at, new_state, ord)),"
      " missing AS (SELECT i.id FROM input i"
      "  WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = i.id)),"
      " firsts AS (SELECT DISTINCT ON (id) id, at, next_at, new_state FROM input ORDER BY id, ord),"
      " lasts AS (SELECT DISTINCT ON (id) id, at, summary FROM input ORDER BY id, ord DESC),"
      " counts AS (SELECT id, count(*) AS attempts FROM input GROUP BY id),"
      " changed AS (UPDATE notifications n SET"
      "  attempts = n.attempts + c.attempts, last_result = l.summary, updated_at = l.at,"
      "  next_attempt_at = CASE WHEN " + held + " THEN f.next_at ELSE n.next_attempt_at END,"
      "  sent_at = CASE WHEN " + held + " AND f.new_state = 'sent' THEN f.at ELSE n.sent_at END,"
      "  claimed_by = CASE WHEN " + held + " THEN NULL ELSE n.claimed_by END,"
      "  lease_until = CASE WHEN " + held + " THEN NULL ELSE n.lease_until END,"
      "  state = CASE WHEN " + held + " THEN f.new_state ELSE n.state END"
      "  FROM firsts f JOIN lasts l USING (id) JOIN counts c USING (id)"
      "  WHERE n.id = f.id AND n.id = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM missing)),"
      " appended AS (INSERT INTO attempts (notification_id, at, outcome, code, detail, node)"
      "  SELECT id, at, outcome, code, detail, $9 FROM input"
      "  WHERE NOT EXISTS (SELECT 1 FROM missing) ORDER BY ord)"
      " SELECT id FROM missing LIMIT 1",
      {array_literal(ids), array_literal(ats), array_literal(outcomes), array_literal(codes),
       array_literal(details), array_literal(summaries), array_literal(next_ats),
       array_literal(states), settings_.node},
      [done = std::move(done)](Result<std::optional<std::string>> missing) {
        if (!missing) return done(missing.error());
        if (*missing) return done(Error{"no notification " + **missing, ErrorCode::not_found});
        done(Status{});
      },
      [](const PgRows& rows) -> Result<std::optional<std::string>> {
        if (rows.empty()) return std::optional<std::string>();
        return std::optional<std::string>(text_at(rows, 0, 0));
      });
}

namespace {

// Outbox::recover_interrupted's rule: a row attempted before becomes a
// retry due now, a first attempt pending again. `which` picks the rows.
std::string recover_sql(std::string_view which) {
  return "UPDATE notifications n SET"
         " state = CASE WHEN n.attempts > 0 THEN 'retrying' ELSE 'pending' END,"
         " next_attempt_at = CASE WHEN n.attempts > 0 THEN $1::bigint ELSE NULL END,"
         " updated_at = $1::bigint, claimed_by = NULL, lease_until = NULL"
         " WHERE n.state = 'sending' AND (" +
         std::string(which) + ")";
}

}  // namespace

void PgOutbox::async_recover_interrupted(Instant now, Handler<std::size_t> done) {
  // This node's own claims are from its previous life (a node's name is
  // unique); a claim with no node came from a copied SQLite outbox.
  run<std::size_t>(
      recover_sql("n.claimed_by = $2 OR n.claimed_by IS NULL OR n.lease_until < clock_timestamp()"),
      {seconds_text(now), settings_.node}, std::move(done),
      [](const PgRows& rows) -> Result<std::size_t> {
        return static_cast<std::size_t>(rows.affected);
      });
}

void PgOutbox::async_take_over(Instant now, Handler<std::size_t> done) {
  if (std::chrono::steady_clock::now() < no_take_over_until_) {
    return answer_later<std::size_t>(std::move(done), std::size_t{0});
  }
  run<std::size_t>(recover_sql("n.claimed_by IS NULL OR n.lease_until < clock_timestamp()"),
                   {seconds_text(now)}, std::move(done),
                   [](const PgRows& rows) -> Result<std::size_t> {
                     return static_cast<std::size_t>(rows.affected);
                   });
}

}  // namespace kutsu::store::pg
