// PgOutbox's opt-outs, as Outbox::opt_out and friends in SQLite
// (store/opt_outs.cpp): each change is one statement, so a claim never sees
// an opt-out without the rows it stopped, and a node's connection never
// holds a transaction across statements that others queued behind it.
#include <utility>

#include "base/ascii.h"
#include "store/detail/opt_out_key.h"
#include "store/pg/pg_outbox.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::pg {
namespace {

// ASCII lowercasing in SQL, as ascii_lowercase and SQLite's lower() do:
// PostgreSQL's lower() follows the database's locale and would fold other
// letters too.
constexpr std::string_view kLowerRecipient =
    "translate(n.recipient, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

}  // namespace

void PgOutbox::async_opt_out(OptOut opt_out, Handler<std::size_t> done) {
  if (opt_out.series_id.empty() || opt_out.recipient.empty()) {
    return answer_later<std::size_t>(
        std::move(done), Error{"an opt-out needs a series and an address", ErrorCode::invalid});
  }
  // The scope in force after this statement: the upsert's when it wrote,
  // else the stored one (a wider wish stays). A row another node committed
  // after this statement's snapshot is in neither; then the scope asked for
  // stops at least what it names, and `all` would have been stored above.
  run<std::size_t>(
      "WITH upsert AS (INSERT INTO opt_outs (series_id, recipient, scope, created_at)"
      "  VALUES ($1, $2, $3, $4::bigint)"
      "  ON CONFLICT (series_id, recipient) DO UPDATE SET scope = 'all',"
      "  created_at = excluded.created_at"
      "  WHERE excluded.scope = 'all' AND opt_outs.scope <> 'all' RETURNING scope),"
      " in_force AS (SELECT coalesce((SELECT scope FROM upsert),"
      "  (SELECT scope FROM opt_outs WHERE series_id = $1 AND recipient = $2), $3) AS scope),"
      " stopped AS (UPDATE notifications n SET state = 'superseded', next_attempt_at = NULL,"
      "  last_result = 'opted out', updated_at = $4::bigint"
      "  WHERE n.series_id = $1 AND n.state IN ('pending', 'retrying') AND n.channel = 'email'"
      "  AND " + std::string(kLowerRecipient) + " = $2"
      "  AND ((SELECT scope FROM in_force) = 'all' OR n.kind = 'reminder') RETURNING 1)"
      " SELECT count(*) FROM stopped",
      {opt_out.series_id, ascii_lowercase(opt_out.recipient), std::string(to_string(opt_out.scope)),
       seconds_text(opt_out.at)},
      std::move(done), [](const PgRows& rows) -> Result<std::size_t> {
        if (rows.size() != 1) return Error{"opt_out returned no count", ErrorCode::failed};
        return static_cast<std::size_t>(integer_at(rows, 0, 0));
      });
}

void PgOutbox::async_opt_outs(std::optional<std::string> series_id,
                              Handler<std::vector<OptOut>> done) {
  // COLLATE "C": SQLite's order (bytes), whatever the database's collation.
  run<std::vector<OptOut>>(
      "SELECT series_id, recipient, scope, created_at FROM opt_outs"
      " WHERE $1::text IS NULL OR series_id = $1"
      " ORDER BY series_id COLLATE \"C\", recipient COLLATE \"C\"",
      {series_id ? Param(*series_id) : Param()}, std::move(done),
      [](const PgRows& rows) -> Result<std::vector<OptOut>> {
        std::vector<OptOut> found;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          std::optional<OptOutScope> scope = parse_opt_out_scope(text_at(rows, row, 2));
          if (!scope) throw MalformedResult("an opt-out scope that is neither reminders nor all");
          found.push_back(OptOut{text_at(rows, row, 0), text_at(rows, row, 1), *scope,
                                 instant_at(rows, row, 3)});
        }
        return found;
      });
}

void PgOutbox::async_opt_out_key(Handler<std::string> done) {
  if (opt_out_key_) return answer_later<std::string>(std::move(done), *opt_out_key_);
  Result<std::string> fresh = detail::fresh_opt_out_key();
  if (!fresh) return answer_later<std::string>(std::move(done), fresh.error());
  // Whichever node stores a key first, every node reads that one: the
  // insert does nothing when a key is there, and the read that follows (a
  // statement of its own, with a snapshot taken after the insert) sees the
  // stored key even when another node's insert won a race.
  const std::string setting(detail::kOptOutKeySetting);
  run_status("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
             {setting, *fresh},
             // run_status and run call these only while *this lives.
             [this, setting, done = std::move(done)](Status inserted) mutable {
               if (!inserted) return done(inserted.error());
               run<std::string>(
                   "SELECT value FROM settings WHERE name = $1", {setting},
                   [this, done = std::move(done)](Result<std::string> key) {
                     if (key) opt_out_key_ = *key;
                     done(std::move(key));
                   },
                   [](const PgRows& rows) -> Result<std::string> {
                     if (rows.empty()) return Error{"the opt-out key was not stored"};
                     return text_at(rows, 0, 0);
                   });
             });
}

}  // namespace kutsu::store::pg
