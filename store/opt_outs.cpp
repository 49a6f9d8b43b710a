// Outbox: opt-outs, and the key that signs their links. An opt-out and the
// rows it stops change in one transaction, so a claim never sees one
// without the other; a reload running beside it reads the opt-outs again in
// each of its transactions (plan_apply.cpp), so it cannot bring those rows
// back.
#include "base/ascii.h"
#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/detail/opt_out_filter.h"
#include "store/detail/opt_out_key.h"
#include "store/outbox.h"

namespace kutsu::store {
using detail::guarded;
using detail::kOptOutKeySetting;
using detail::Statement;

std::string_view to_string(OptOutScope scope) {
  return scope == OptOutScope::all ? "all" : "reminders";
}

std::optional<OptOutScope> parse_opt_out_scope(std::string_view text) {
  if (text == "reminders") return OptOutScope::reminders;
  if (text == "all") return OptOutScope::all;
  return std::nullopt;
}

Result<std::size_t> Outbox::opt_out(const OptOut& opt_out) {
  if (opt_out.series_id.empty() || opt_out.recipient.empty()) {
    return Error{"an opt-out needs a series and an address", ErrorCode::invalid};
  }
  const std::string recipient = ascii_lowercase(opt_out.recipient);
  return guarded(*db_, "opt_out for series " + opt_out.series_id, [&]() -> Result<std::size_t> {
    detail::Transaction transaction(*db_);
    // A wider wish stays: "all" is never narrowed back to "reminders".
    db_->prepare(
           "INSERT INTO opt_outs (series_id, recipient, scope, created_at) VALUES (?1, ?2, ?3, ?4)"
           " ON CONFLICT (series_id, recipient) DO UPDATE SET scope = 'all',"
           " created_at = excluded.created_at WHERE excluded.scope = 'all' AND scope <> 'all'")
        .bind(1, std::string_view(opt_out.series_id))
        .bind(2, std::string_view(recipient))
        .bind(3, to_string(opt_out.scope))
        .bind(4, opt_out.at)
        .run();
    Statement scope = db_->prepare(
        "SELECT scope FROM opt_outs WHERE series_id = ?1 AND recipient = ?2");
    scope.bind(1, std::string_view(opt_out.series_id)).bind(2, std::string_view(recipient));
    const bool all = scope.step() && scope.text_view(0) == "all";
    scope.reset();
    db_->prepare(
           "UPDATE notifications SET state = 'superseded', next_attempt_at = NULL,"
           " last_result = 'opted out', updated_at = ?4"
           " WHERE series_id = ?1 AND state IN ('pending', 'retrying') AND channel = 'email'"
           " AND lower(recipient) = ?2 AND (?3 = 'all' OR kind = 'reminder')")
        .bind(1, std::string_view(opt_out.series_id))
        .bind(2, std::string_view(recipient))
        .bind(3, all ? std::string_view("all") : std::string_view("reminders"))
        .bind(4, opt_out.at)
        .run();
    const std::size_t stopped = static_cast<std::size_t>(db_->changes());
    transaction.commit();
    return stopped;
  });
}

Result<std::vector<OptOut>> Outbox::opt_outs(std::optional<std::string_view> series_id) {
  return guarded(*db_, "opt_outs", [&]() -> Result<std::vector<OptOut>> {
    Statement select = db_->prepare(
        "SELECT series_id, recipient, scope, created_at FROM opt_outs"
        " WHERE ?1 IS NULL OR series_id = ?1 ORDER BY series_id, recipient");
    if (series_id) {
      select.bind(1, *series_id);
    } else {
      select.bind_null(1);
    }
    std::vector<OptOut> found;
    while (select.step()) {
      found.push_back(OptOut{select.text(0), select.text(1),
                             parse_opt_out_scope(select.text_view(2)).value_or(OptOutScope::all),
                             select.time(3)});
    }
    return found;
  });
}

Result<std::string> Outbox::opt_out_key() {
  return guarded(*db_, "opt_out_key", [&]() -> Result<std::string> {
    Statement select = db_->prepare("SELECT value FROM settings WHERE name = ?1");
    select.bind(1, kOptOutKeySetting);
    if (select.step()) return select.text(0);
    select.reset();
    Result<std::string> key = detail::fresh_opt_out_key();
    if (!key) return key.error();
    // Two processes creating it at once keep the first one's.
    db_->prepare("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
        .bind(1, kOptOutKeySetting)
        .bind(2, std::string_view(*key))
        .run();
    select.bind(1, kOptOutKeySetting);
    if (!select.step()) return Error{"the opt-out key was not stored"};
    return select.text(0);
  });
}

}  // namespace kutsu::store
