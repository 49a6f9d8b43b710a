// PgOutbox's queries for the admin API: counts by state, one notification
// with its history, cursor-paged listings, what is still to send by slice
// of time, and the nodes with their heartbeats — the same answers, orders
// and refusals as SQLite's (store/admin_queries.cpp), one statement each
// (find: two, the row and then its attempts).
#include <string>

#include "store/detail/page_cursor.h"
#include "store/pg/pg_outbox.h"
#include "store/pg/pg_text.h"

namespace kutsu::store::pg {
namespace {

constexpr std::size_t kMaxPageSize = 1000;

void add_count(StateCounts& counts, const PgRows& rows, std::size_t row, std::size_t column) {
  const std::string name = text_at(rows, row, column);
  std::optional<NotificationState> state = parse_notification_state(name);
  if (!state) throw MalformedResult("unknown state '" + name + "' in notifications");
  counts[*state] += integer_at(rows, row, column + 1);
}

}  // namespace

void PgOutbox::async_state_counts(std::optional<std::string> series_id,
                                  std::optional<std::string> session_id,
                                  Handler<StateCounts> done) {
  if (session_id && !series_id) {
    return answer_later<StateCounts>(
        std::move(done), Error{"a session is only known within its series", ErrorCode::invalid});
  }
  std::string sql = "SELECT state, count(*) FROM notifications";
  if (series_id) sql += " WHERE series_id = $1";
  if (session_id) sql += " AND session_id = $2";
  sql += " GROUP BY state";
  std::vector<Param> params;
  if (series_id) params.push_back(*series_id);
  if (session_id) params.push_back(*session_id);
  run<StateCounts>(std::move(sql), std::move(params), std::move(done),
                   [](const PgRows& rows) -> Result<StateCounts> {
                     StateCounts counts;
                     for (std::size_t row = 0; row < rows.size(); ++row) add_count(counts, rows, row, 0);
                     return counts;
                   });
}

void PgOutbox::async_kind_state_counts(Handler<std::vector<KindStateCounts>> done) {
  run<std::vector<KindStateCounts>>(
      "SELECT kind, state, count(*) FROM notifications GROUP BY kind, state"
      " ORDER BY kind COLLATE \"C\"",
      {}, std::move(done), [](const PgRows& rows) -> Result<std::vector<KindStateCounts>> {
        std::vector<KindStateCounts> kinds;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          std::string kind = text_at(rows, row, 0);
          if (kinds.empty() || kinds.back().kind != kind) {
            kinds.push_back(KindStateCounts{std::move(kind), {}});
          }
          add_count(kinds.back().counts, rows, row, 1);
        }
        return kinds;
      });
}

void PgOutbox::async_session_state_counts(std::string series_id,
                                          Handler<std::vector<SessionStateCounts>> done) {
  // The invitations (no session) first, as in SQLite.
  run<std::vector<SessionStateCounts>>(
      "SELECT session_id, state, count(*) FROM notifications WHERE series_id = $1"
      " GROUP BY session_id, state ORDER BY session_id COLLATE \"C\" NULLS FIRST",
      {std::move(series_id)}, std::move(done),
      [](const PgRows& rows) -> Result<std::vector<SessionStateCounts>> {
        std::vector<SessionStateCounts> sessions;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          std::optional<std::string> session = rows.at(row, 0);
          if (sessions.empty() || sessions.back().session_id != session) {
            sessions.push_back(SessionStateCounts{std::move(session), {}});
          }
          add_count(sessions.back().counts, rows, row, 1);
        }
        return sessions;
      });
}

void PgOutbox::async_find(std::string id, Handler<std::optional<NotificationDetail>> done) {
  using Found = std::optional<NotificationDetail>;
  run<Found>(
      "SELECT " + std::string(kNotificationColumns) + " FROM notifications n WHERE n.id = $1", {id},
      [this, life = std::weak_ptr<int>(life_), id, done = std::move(done)](Result<Found> found) mutable {
        if (life.expired()) return;
        if (!found || !*found) return done(std::move(found));
        // The attempts in the order they were appended (the heap's, within
        // one second; the table is never updated).
        run<Found>(
            "SELECT at, outcome, code, detail FROM attempts WHERE notification_id = $1"
            " ORDER BY at, ctid",
            {id}, std::move(done),
            [detail = std::move(**found)](const PgRows& rows) mutable -> Result<Found> {
              for (std::size_t row = 0; row < rows.size(); ++row) {
                const std::string outcome = text_at(rows, row, 1);
                std::optional<AttemptOutcome> parsed = parse_attempt_outcome(outcome);
                if (!parsed) throw MalformedResult("unknown attempt outcome '" + outcome + "'");
                std::optional<std::int64_t> code = optional_integer_at(rows, row, 2);
                detail.attempts.push_back(Attempt{
                    instant_at(rows, row, 0),
                    AttemptResult{*parsed,
                                  code ? std::optional<int>(static_cast<int>(*code)) : std::nullopt,
                                  text_at(rows, row, 3), std::nullopt}});
              }
              return Found(std::move(detail));
            });
      },
      [](const PgRows& rows) -> Result<Found> {
        if (rows.empty()) return Found();
        return Found(NotificationDetail{notification_at(rows, 0), {}});
      });
}

void PgOutbox::async_list(NotificationQuery query, Handler<NotificationPage> done) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return answer_later<NotificationPage>(
        std::move(done),
        Error{"limit must be between 1 and " + std::to_string(kMaxPageSize), ErrorCode::invalid});
  }
  std::optional<detail::PageCursor> after;
  if (query.after) {
    after = detail::PageCursor::decode(*query.after);
    if (!after) {
      return answer_later<NotificationPage>(
          std::move(done), Error{"malformed cursor '" + *query.after + "'", ErrorCode::invalid});
    }
  }
  // Only the filters asked for go into the text, so the planner sees a
  // statement the (state, due, id) or (due, id) index serves.
  std::string sql = "SELECT " + std::string(kNotificationColumns) + " FROM notifications n WHERE true";
  std::vector<Param> params;
  auto next = [&params](Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (query.series_id) sql += " AND n.series_id = " + next(*query.series_id);
  if (query.session_id) sql += " AND n.session_id = " + next(*query.session_id);
  if (query.state) sql += " AND n.state = " + next(std::string(to_string(*query.state)));
  const bool newest = query.order == ListOrder::newest;
  if (after) {
    const std::string due = next(seconds_text(after->due));
    const std::string id = next(after->id);
    sql += std::string(newest ? " AND (n.due, n.id) < (" : " AND (n.due, n.id) > (") + due +
           "::bigint, " + id + "::text)";
  }
  // One row more than asked tells whether another page follows.
  sql += std::string(newest ? " ORDER BY n.due DESC, n.id DESC" : " ORDER BY n.due, n.id") +
         " LIMIT " + next(std::to_string(query.limit + 1)) + "::bigint";
  const std::size_t limit = query.limit;
  run<NotificationPage>(std::move(sql), std::move(params), std::move(done),
                        [limit](const PgRows& rows) -> Result<NotificationPage> {
                          NotificationPage page;
                          for (std::size_t row = 0; row < rows.size(); ++row) {
                            page.rows.push_back(notification_at(rows, row));
                          }
                          if (page.rows.size() > limit) {
                            page.rows.pop_back();
                            const NotificationRow& last = page.rows.back();
                            page.next_cursor = detail::PageCursor{last.due, last.id}.encode();
                          }
                          return page;
                        });
}

void PgOutbox::async_pending_by_slice(std::string series_id, Instant until,
                                      std::chrono::seconds slice,
                                      Handler<std::vector<DueSlice>> done) {
  if (slice < std::chrono::seconds(1) || slice > std::chrono::days(1)) {
    return answer_later<std::vector<DueSlice>>(
        std::move(done), Error{"a slice must be from a second to a day", ErrorCode::invalid});
  }
  // div(): floor for the non-negative instants stored, like SQLite's "/".
  run<std::vector<DueSlice>>(
      "SELECT slice, sum(c)::bigint FROM ("
      " SELECT div(due, $3::bigint) AS slice, count(*) AS c FROM notifications"
      "  WHERE series_id = $1 AND state = 'pending' AND due < $2::bigint GROUP BY 1"
      " UNION ALL"
      " SELECT div(coalesce(next_attempt_at, due), $3::bigint), count(*) FROM notifications"
      "  WHERE series_id = $1 AND state = 'retrying' AND coalesce(next_attempt_at, due) < $2::bigint"
      "  GROUP BY 1) s"
      " GROUP BY slice ORDER BY slice",
      {std::move(series_id), seconds_text(until), std::to_string(slice.count())}, std::move(done),
      [slice](const PgRows& rows) -> Result<std::vector<DueSlice>> {
        std::vector<DueSlice> slices;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          slices.push_back(DueSlice{Instant(integer_at(rows, row, 0) * slice), integer_at(rows, row, 1)});
        }
        return slices;
      });
}

void PgOutbox::async_nodes(Handler<std::vector<NodeStatus>> done) {
  run<std::vector<NodeStatus>>(
      "SELECT n.name, floor(extract(epoch FROM n.heartbeat_at))::bigint,"
      " floor(extract(epoch FROM n.started_at))::bigint, s.series_id, s.content_hash"
      " FROM nodes n LEFT JOIN node_series s ON s.node = n.name"
      " ORDER BY n.name COLLATE \"C\", s.series_id COLLATE \"C\"",
      {}, std::move(done), [](const PgRows& rows) -> Result<std::vector<NodeStatus>> {
        std::vector<NodeStatus> nodes;
        for (std::size_t row = 0; row < rows.size(); ++row) {
          std::string name = text_at(rows, row, 0);
          if (nodes.empty() || nodes.back().name != name) {
            nodes.push_back(NodeStatus{std::move(name), instant_at(rows, row, 1),
                                       instant_at(rows, row, 2), {}});
          }
          if (rows.at(row, 3)) {
            nodes.back().versions.emplace(text_at(rows, row, 3), text_at(rows, row, 4));
          }
        }
        return nodes;
      });
}

}  // namespace kutsu::store::pg
