#include "store/copy/copy_tables.h"

namespace kutsu::store::copy {
namespace {

using T = ColumnType;

// Same name in both schemas.
constexpr CopyColumn both(std::string_view name, ColumnType type) { return {name, name, type}; }

const std::vector<CopyTable>& tables() {
  static const std::vector<CopyTable> list = {
      {"notifications",
       {both("id", T::text), both("series_id", T::text), both("session_id", T::text),
        both("kind", T::text), both("reminder_offset", T::text), both("channel", T::text),
        both("recipient", T::text), both("due", T::integer), both("session_start", T::integer),
        both("state", T::text), both("attempts", T::integer), both("next_attempt_at", T::integer),
        both("last_result", T::text), both("created_at", T::integer),
        both("updated_at", T::integer), both("sent_at", T::integer),
        both("plan_generation", T::integer),
        {"series_version", "", T::text,
         "coalesce((SELECT v.content_hash FROM series_versions v WHERE v.series_id = t.series_id), '')"}},
       "t.rowid",
       // The order an SQLite apply inserts in: by plan (created_at), then due, then id.
       "t.created_at, t.due, t.id",
       true},
      {"attempts",
       {both("notification_id", T::text), both("at", T::integer), both("outcome", T::text),
        both("code", T::integer), both("detail", T::text), {"node", "", T::text, "''"}},
       "t.rowid",
       // Insert-only, so ctid is insertion order but for space a vacuum freed:
       // `at` first keeps each notification's history in time order.
       "t.at, t.ctid",
       false},
      {"series_versions",
       {both("series_id", T::text), both("content_hash", T::text), both("loaded_at", T::integer),
        both("ok", T::flag), both("errors", T::text)},
       "t.rowid",
       "t.series_id",
       false},
      {"session_versions",
       {both("series_id", T::text), both("session_id", T::text), both("starts_at", T::integer),
        both("ends_at", T::integer), both("sequence", T::integer), both("cancelled", T::flag),
        both("previous_starts_at", T::integer), both("previous_ends_at", T::integer),
        both("title", T::text), both("removed_at", T::integer), both("changed_at", T::integer)},
       "t.rowid",
       "t.series_id, t.session_id",
       false},
      // One row; its key column is `only` in SQLite, a reserved word in PostgreSQL.
      {"plan_generation", {{"one", "only", T::integer}, both("current", T::integer)}, "t.rowid",
       "t.one", false},
      {"opt_outs",
       {both("series_id", T::text), both("recipient", T::text), both("scope", T::text),
        both("created_at", T::integer)},
       "t.rowid",
       "t.series_id, t.recipient",
       false},
      {"settings", {both("name", T::text), both("value", T::text)}, "t.rowid", "t.name", false},
  };
  return list;
}

}  // namespace

std::span<const CopyTable> copy_tables() { return tables(); }

}  // namespace kutsu::store::copy
