// What the outbox remembers about series files and sessions beside the
// notifications: the last load of each file (status API) and the last
// published form of each session (calendar SEQUENCE).
#include "store/detail/database.h"
#include "store/detail/guard.h"
#include "store/outbox.h"

namespace kutsu::store {
using detail::guarded;

namespace {

using detail::Statement;

constexpr std::string_view kSeriesColumns = "series_id, content_hash, loaded_at, ok, errors";
constexpr std::string_view kSessionColumns =
    "series_id, session_id, starts_at, ends_at, sequence, cancelled, previous_starts_at,"
    " previous_ends_at, title, removed_at, changed_at";

SeriesVersion read_series_version(const Statement& statement) {
  return SeriesVersion{statement.text(0), statement.text(1), statement.time(2),
                       statement.integer(3) != 0, statement.text(4)};
}

SessionVersion read_session_version(const Statement& statement) {
  return SessionVersion{statement.text(0),
                        statement.text(1),
                        statement.time(2),
                        statement.time(3),
                        static_cast<int>(statement.integer(4)),
                        statement.integer(5) != 0,
                        statement.optional_time(6),
                        statement.optional_time(7),
                        statement.text(8),
                        statement.optional_time(9),
                        statement.optional_time(10)};
}

}  // namespace

Status Outbox::put_series_version(const SeriesVersion& version) {
  return guarded(*db_, "put_series_version " + version.series_id, [&]() -> Status {
    db_->prepare("INSERT INTO series_versions (" + std::string(kSeriesColumns) +
                 ") VALUES (?1, ?2, ?3, ?4, ?5)"
                 " ON CONFLICT (series_id) DO UPDATE SET content_hash = excluded.content_hash,"
                 " loaded_at = excluded.loaded_at, ok = excluded.ok, errors = excluded.errors")
        .bind(1, std::string_view(version.series_id))
        .bind(2, std::string_view(version.content_hash))
        .bind(3, version.loaded_at)
        .bind(4, std::int64_t{version.ok ? 1 : 0})
        .bind(5, std::string_view(version.errors))
        .run();
    return {};
  });
}

Result<std::optional<SeriesVersion>> Outbox::series_version(std::string_view series_id) {
  return guarded(*db_, "series_version", [&]() -> Result<std::optional<SeriesVersion>> {
    Statement select = db_->prepare("SELECT " + std::string(kSeriesColumns) +
                                    " FROM series_versions WHERE series_id = ?1");
    select.bind(1, series_id);
    if (!select.step()) return std::optional<SeriesVersion>();
    return std::optional<SeriesVersion>(read_series_version(select));
  });
}

Result<std::vector<SeriesVersion>> Outbox::series_versions() {
  return guarded(*db_, "series_versions", [&]() -> Result<std::vector<SeriesVersion>> {
    Statement select = db_->prepare("SELECT " + std::string(kSeriesColumns) +
                                    " FROM series_versions ORDER BY series_id");
    std::vector<SeriesVersion> versions;
    while (select.step()) versions.push_back(read_series_version(select));
    return versions;
  });
}

Status Outbox::put_session_version(const SessionVersion& version) {
  return guarded(*db_, "put_session_version " + version.series_id + "/" + version.session_id,
                 [&]() -> Status {
                   db_->prepare("INSERT INTO session_versions (" + std::string(kSessionColumns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                " ON CONFLICT (series_id, session_id) DO UPDATE SET"
                                " starts_at = excluded.starts_at, ends_at = excluded.ends_at,"
                                " sequence = excluded.sequence, cancelled = excluded.cancelled,"
                                " previous_starts_at = excluded.previous_starts_at,"
                                " previous_ends_at = excluded.previous_ends_at,"
                                " title = excluded.title, removed_at = excluded.removed_at,"
                                " changed_at = excluded.changed_at")
                       .bind(1, std::string_view(version.series_id))
                       .bind(2, std::string_view(version.session_id))
                       .bind(3, version.start)
                       .bind(4, version.end)
                       .bind(5, std::int64_t{version.sequence})
                       .bind(6, std::int64_t{version.cancelled ? 1 : 0})
                       .bind(7, version.previous_start)
                       .bind(8, version.previous_end)
                       .bind(9, std::string_view(version.title))
                       .bind(10, version.removed_at)
                       .bind(11, version.changed_at)
                       .run();
                   return {};
                 });
}

Result<std::optional<SessionVersion>> Outbox::session_version(std::string_view series_id,
                                                              std::string_view session_id) {
  return guarded(*db_, "session_version", [&]() -> Result<std::optional<SessionVersion>> {
    Statement select =
        db_->prepare("SELECT " + std::string(kSessionColumns) +
                     " FROM session_versions WHERE series_id = ?1 AND session_id = ?2");
    select.bind(1, series_id).bind(2, session_id);
    if (!select.step()) return std::optional<SessionVersion>();
    return std::optional<SessionVersion>(read_session_version(select));
  });
}

Result<std::vector<SessionVersion>> Outbox::session_versions(std::string_view series_id) {
  return guarded(*db_, "session_versions", [&]() -> Result<std::vector<SessionVersion>> {
    Statement select =
        db_->prepare("SELECT " + std::string(kSessionColumns) +
                     " FROM session_versions WHERE series_id = ?1 ORDER BY session_id");
    select.bind(1, series_id);
    std::vector<SessionVersion> versions;
    while (select.step()) versions.push_back(read_session_version(select));
    return versions;
  });
}

Result<bool> Outbox::invitation_sent(std::string_view series_id) {
  return guarded(*db_, "invitation_sent", [&]() -> Result<bool> {
    // (series_id, session_id, state) leads the notifications_by_series index.
    Statement select = db_->prepare(
        "SELECT EXISTS (SELECT 1 FROM notifications"
        " WHERE series_id = ?1 AND session_id IS NULL AND state IN ('sent', 'sending'))");
    select.bind(1, series_id);
    return select.step() && select.integer(0) != 0;
  });
}

}  // namespace kutsu::store
