// The delivery side of the outbox: claiming what is due, recording what the
// notifier reported, and the two ways out of a dead end (missed, retry).
#include <algorithm>
#include <limits>
#include <tuple>

#include "store/detail/attempt_text.h"
#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/detail/notification_columns.h"
#include "store/outbox.h"

namespace kutsu::store {
using detail::guarded;

using detail::Statement;
using detail::state_after;
using detail::summary_of;

Result<std::vector<NotificationRow>> Outbox::claim_due(Instant now, std::size_t limit) {
  return guarded(*db_, "claim_due", [&]() -> Result<std::vector<NotificationRow>> {
    // One statement, so the choice and the marking are one atomic step. Each
    // arm reads at most `limit` rows in index order; the outer LIMIT keeps
    // the earliest of both.
    const std::string unheld = claimable_filter();
    Statement claim = db_->prepare(
        "WITH eligible (r, due, id) AS ("
        " SELECT * FROM (SELECT rowid, due, id FROM notifications"
        "  WHERE state = 'pending' AND due <= ?2" +
        unheld +
        " ORDER BY due, id LIMIT ?3)"
        " UNION ALL"
        " SELECT * FROM (SELECT rowid, due, id FROM notifications"
        "  WHERE state = 'retrying' AND next_attempt_at <= ?2" +
        unheld +
        " ORDER BY due, id LIMIT ?3))"
        " UPDATE notifications SET state = 'sending', updated_at = ?1"
        " WHERE rowid IN (SELECT r FROM eligible ORDER BY due, id LIMIT ?3)"
        " RETURNING " +
        std::string(detail::kNotificationColumns));
    const auto capped = static_cast<std::int64_t>(
        std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
    claim.bind(1, now).bind(2, now).bind(3, capped);
    std::vector<NotificationRow> rows;
    while (claim.step()) rows.push_back(detail::read_notification(claim));
    // RETURNING yields rows in no promised order.
    std::sort(rows.begin(), rows.end(), [](const NotificationRow& a, const NotificationRow& b) {
      return std::tie(a.due, a.id) < std::tie(b.due, b.id);
    });
    return rows;
  });
}

Status Outbox::record_results(std::span<const RecordedAttempt> attempts) {
  return guarded(*db_, "record_results", [&]() -> Status {
    for (const RecordedAttempt& recorded : attempts) {
      if (Status checked = detail::check_attempt(recorded); !checked) return checked;
    }
    detail::Transaction transaction(*db_);
    // The state moves only out of `sending`: a row an admin retried or the
    // misfire rule marked meanwhile keeps what they decided.
    Statement update = db_->prepare(
        "UPDATE notifications SET"
        " attempts = attempts + 1, last_result = ?2, updated_at = ?3,"
        " next_attempt_at = CASE WHEN state = 'sending' THEN ?5 ELSE next_attempt_at END,"
        " sent_at = CASE WHEN state = 'sending' AND ?4 = 'sent' THEN ?3 ELSE sent_at END,"
        " state = CASE WHEN state = 'sending' THEN ?4 ELSE state END"
        " WHERE id = ?1");
    Statement append = db_->prepare(
        "INSERT INTO attempts (notification_id, at, outcome, code, detail)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const RecordedAttempt& recorded : attempts) {
      const Attempt& attempt = recorded.attempt;
      update.bind(1, std::string_view(recorded.id))
          .bind(2, summary_of(attempt.result))
          .bind(3, attempt.at)
          .bind(4, to_string(state_after(recorded)))
          .bind(5, recorded.next_attempt_at);
      update.run();
      if (db_->changes() == 0) {
        return Error{"no notification " + recorded.id, ErrorCode::not_found};
      }
      append.bind(1, std::string_view(recorded.id))
          .bind(2, attempt.at)
          .bind(3, to_string(attempt.result.outcome))
          .bind(4, attempt.result.code)
          .bind(5, std::string_view(attempt.result.detail));
      append.run();
    }
    transaction.commit();
    return {};
  });
}

Result<std::size_t> Outbox::mark_missed(std::span<const std::string> ids, Instant now,
                                        MissScope scope) {
  return guarded(*db_, "mark_missed", [&]() -> Result<std::size_t> {
    detail::Transaction transaction(*db_);
    Statement mark = db_->prepare(
        std::string("UPDATE notifications SET state = 'missed', next_attempt_at = NULL,"
                    " updated_at = ?2 WHERE id = ?1 AND state IN ") +
        (scope == MissScope::unsent ? "('pending', 'retrying', 'sending')" : "('pending')"));
    std::size_t changed = 0;
    for (const std::string& id : ids) {
      mark.bind(1, std::string_view(id)).bind(2, now).run();
      changed += static_cast<std::size_t>(db_->changes());
    }
    transaction.commit();
    return changed;
  });
}

Result<std::vector<std::string>> Outbox::overdue_unsent(std::string_view series_id, Instant now) {
  return guarded(*db_, "overdue_unsent", [&]() -> Result<std::vector<std::string>> {
    // Walks notifications_by_state_due from each state's start to `now`.
    Statement select = db_->prepare(
        "SELECT id FROM notifications WHERE state IN ('pending', 'retrying', 'sending')"
        " AND due < ?2 AND series_id = ?1 ORDER BY id");
    select.bind(1, series_id).bind(2, now);
    std::vector<std::string> ids;
    while (select.step()) ids.push_back(select.text(0));
    return ids;
  });
}

Status Outbox::retry(std::string_view id, Instant now) {
  return guarded(*db_, "retry " + std::string(id), [&]() -> Status {
    detail::Transaction transaction(*db_);
    Statement find = db_->prepare("SELECT state FROM notifications WHERE id = ?1");
    find.bind(1, id);
    if (!find.step()) return Error{"no notification " + std::string(id), ErrorCode::not_found};
    std::string state = find.text(0);
    find.reset();
    if (state != "failed" && state != "missed") {
      return Error{"notification " + std::string(id) + " is " + state +
                       "; only failed or missed notifications can be retried",
                   ErrorCode::conflict};
    }
    db_->prepare(
           "UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = NULL,"
           " updated_at = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, now)
        .run();
    transaction.commit();
    return {};
  });
}

}  // namespace kutsu::store
