// Read-only queries for the admin API: counts, one notification with its
// history, and cursor-paged listings.
#include <string>

#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/detail/notification_columns.h"
#include "store/detail/page_cursor.h"
#include "store/outbox.h"

namespace kutsu::store {

using detail::guarded;

namespace {

using detail::Statement;

constexpr std::size_t kMaxPageSize = 1000;

void add_count(StateCounts& counts, const Statement& statement, int state_column) {
  std::string name = statement.text(state_column);
  std::optional<NotificationState> state = parse_notification_state(name);
  if (!state) throw detail::SqliteError("unknown state '" + name + "' in notifications");
  counts[*state] += statement.integer(state_column + 1);
}

}  // namespace

Result<StateCounts> Outbox::state_counts(std::optional<std::string_view> series_id,
                                         std::optional<std::string_view> session_id) {
  return guarded(*db_, "state_counts", [&]() -> Result<StateCounts> {
    if (session_id && !series_id) {
      return Error{"a session is only known within its series", ErrorCode::invalid};
    }
    std::string sql = "SELECT state, count(*) FROM notifications";
    if (series_id) sql += " WHERE series_id = ?1";
    if (session_id) sql += " AND session_id = ?2";
    sql += " GROUP BY state";
    Statement select = db_->prepare(sql);
    if (series_id) select.bind(1, *series_id);
    if (session_id) select.bind(2, *session_id);
    StateCounts counts;
    while (select.step()) add_count(counts, select, 0);
    return counts;
  });
}

Result<std::vector<SessionStateCounts>> Outbox::session_state_counts(std::string_view series_id) {
  return guarded(*db_, "session_state_counts", [&]() -> Result<std::vector<SessionStateCounts>> {
    // NULL (the invitations) sorts first in SQLite.
    Statement select = db_->prepare(
        "SELECT session_id, state, count(*) FROM notifications WHERE series_id = ?1"
        " GROUP BY session_id, state ORDER BY session_id");
    select.bind(1, series_id);
    std::vector<SessionStateCounts> sessions;
    while (select.step()) {
      std::optional<std::string> session = select.optional_text(0);
      if (sessions.empty() || sessions.back().session_id != session) {
        sessions.push_back(SessionStateCounts{std::move(session), {}});
      }
      add_count(sessions.back().counts, select, 1);
    }
    return sessions;
  });
}

Result<std::vector<KindStateCounts>> Outbox::kind_state_counts() {
  return guarded(*db_, "kind_state_counts", [&]() -> Result<std::vector<KindStateCounts>> {
    Statement select = db_->prepare(
        "SELECT kind, state, count(*) FROM notifications GROUP BY kind, state ORDER BY kind");
    std::vector<KindStateCounts> kinds;
    while (select.step()) {
      std::string kind = select.text(0);
      if (kinds.empty() || kinds.back().kind != kind) {
        kinds.push_back(KindStateCounts{std::move(kind), {}});
      }
      add_count(kinds.back().counts, select, 1);
    }
    return kinds;
  });
}

Result<std::optional<NotificationDetail>> Outbox::find(std::string_view id) {
  return guarded(*db_, "find", [&]() -> Result<std::optional<NotificationDetail>> {
    Statement select = db_->prepare("SELECT " + std::string(detail::kNotificationColumns) +
                                    " FROM notifications WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::optional<NotificationDetail>();
    NotificationDetail detail{detail::read_notification(select), {}};

    // rowid order is the order the attempts were appended in.
    Statement attempts = db_->prepare(
        "SELECT at, outcome, code, detail FROM attempts WHERE notification_id = ?1"
        " ORDER BY rowid");
    attempts.bind(1, id);
    while (attempts.step()) {
      std::string outcome = attempts.text(1);
      std::optional<AttemptOutcome> parsed = parse_attempt_outcome(outcome);
      if (!parsed) throw detail::SqliteError("unknown attempt outcome '" + outcome + "'");
      std::optional<std::int64_t> code = attempts.optional_integer(2);
      detail.attempts.push_back(Attempt{
          attempts.time(0),
          AttemptResult{*parsed, code ? std::optional<int>(static_cast<int>(*code)) : std::nullopt,
                        attempts.text(3), std::nullopt}});
    }
    return std::optional<NotificationDetail>(std::move(detail));
  });
}

Result<NotificationPage> Outbox::list(const NotificationQuery& query) {
  return guarded(*db_, "list", [&]() -> Result<NotificationPage> {
    if (query.limit < 1 || query.limit > kMaxPageSize) {
      return Error{"limit must be between 1 and " + std::to_string(kMaxPageSize),
                   ErrorCode::invalid};
    }
    std::optional<detail::PageCursor> after;
    if (query.after) {
      after = detail::PageCursor::decode(*query.after);
      if (!after) return Error{"malformed cursor '" + *query.after + "'", ErrorCode::invalid};
    }
    std::string sql =
        "SELECT " + std::string(detail::kNotificationColumns) + " FROM notifications WHERE 1";
    if (query.series_id) sql += " AND series_id = ?1";
    if (query.session_id) sql += " AND session_id = ?2";
    if (query.state) sql += " AND state = ?3";
    // Newest first walks the same indexes ((state, due, id), (due, id), the
    // series' one) backwards: no sort, however many rows match.
    const bool newest = query.order == ListOrder::newest;
    if (after) sql += newest ? " AND (due, id) < (?4, ?5)" : " AND (due, id) > (?4, ?5)";
    // One row more than asked tells whether another page follows.
    sql += newest ? " ORDER BY due DESC, id DESC LIMIT ?6" : " ORDER BY due, id LIMIT ?6";

    Statement select = db_->prepare(sql);
    if (query.series_id) select.bind(1, std::string_view(*query.series_id));
    if (query.session_id) select.bind(2, std::string_view(*query.session_id));
    if (query.state) select.bind(3, to_string(*query.state));
    if (after) select.bind(4, after->due).bind(5, std::string_view(after->id));
    select.bind(6, static_cast<std::int64_t>(query.limit + 1));

    NotificationPage page;
    while (select.step()) page.rows.push_back(detail::read_notification(select));
    if (page.rows.size() > query.limit) {
      page.rows.pop_back();
      const NotificationRow& last = page.rows.back();
      page.next_cursor = detail::PageCursor{last.due, last.id}.encode();
    }
    return page;
  });
}

Result<std::vector<DueSlice>> Outbox::pending_by_slice(std::string_view series_id, Instant until,
                                                       std::chrono::seconds slice) {
  return guarded(*db_, "pending_by_slice", [&]() -> Result<std::vector<DueSlice>> {
    if (slice < std::chrono::seconds(1) || slice > std::chrono::days(1)) {
      return Error{"a slice must be from a second to a day", ErrorCode::invalid};
    }
    // Pending rows from the series' covering index (series_id, session_id,
    // state, due, id); the few retrying ones by when they are tried again.
    Statement select = db_->prepare(
        "SELECT slice, sum(n) FROM ("
        " SELECT due / ?3 AS slice, count(*) AS n FROM notifications"
        "  WHERE series_id = ?1 AND state = 'pending' AND due < ?2 GROUP BY slice"
        " UNION ALL"
        " SELECT coalesce(next_attempt_at, due) / ?3 AS slice, count(*) AS n FROM notifications"
        "  WHERE series_id = ?1 AND state = 'retrying' AND coalesce(next_attempt_at, due) < ?2"
        "  GROUP BY slice)"
        " GROUP BY slice ORDER BY slice");
    select.bind(1, series_id).bind(2, until).bind(3, static_cast<std::int64_t>(slice.count()));
    std::vector<DueSlice> slices;
    while (select.step()) {
      slices.push_back(DueSlice{Instant(select.integer(0) * slice), select.integer(1)});
    }
    return slices;
  });
}

}  // namespace kutsu::store
