#include "service/load_store.h"

namespace kutsu::service {

std::unique_ptr<SqliteLoadStore> SqliteLoadStore::beside(const store::Outbox& main) {
  return std::unique_ptr<SqliteLoadStore>(new SqliteLoadStore(&main));
}

Result<store::Outbox*> SqliteLoadStore::outbox() {
  if (outbox_ != nullptr) return outbox_;
  Result<store::Outbox> opened = store::Outbox::open(main_->file());
  if (!opened) return opened.error();  // tried again at the next call
  own_.emplace(std::move(*opened));
  own_->share_health(*main_);
  own_->yield_to(*main_);
  outbox_ = &*own_;
  return outbox_;
}

Result<store::PlanGeneration> SqliteLoadStore::next_plan_generation() {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->next_plan_generation();
}

// SQLite keeps no series version per row: one node planned them all.
Result<store::PlanDiff> SqliteLoadStore::apply_plan(const std::string& series_id,
                                                    const std::string& /*series_version*/,
                                                    const store::PlannedRows& wanted,
                                                    store::Instant now,
                                                    store::ApplyOptions options) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->apply_plan(series_id, wanted, now, options);
}

Result<std::size_t> SqliteLoadStore::mark_missed(const std::vector<std::string>& ids,
                                                 store::Instant now,
                                                 store::Outbox::MissScope scope) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->mark_missed(ids, now, scope);
}

Result<std::vector<std::string>> SqliteLoadStore::overdue_unsent(const std::string& series_id,
                                                                 store::Instant now) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->overdue_unsent(series_id, now);
}

Status SqliteLoadStore::put_series_version(const store::SeriesVersion& version) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->put_series_version(version);
}

Result<std::vector<store::SeriesVersion>> SqliteLoadStore::series_versions() {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->series_versions();
}

Status SqliteLoadStore::put_session_version(const store::SessionVersion& version) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->put_session_version(version);
}

Result<std::vector<store::SessionVersion>> SqliteLoadStore::session_versions(
    const std::string& series_id) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->session_versions(series_id);
}

Result<bool> SqliteLoadStore::invitation_sent(const std::string& series_id) {
  Result<store::Outbox*> db = outbox();
  if (!db) return db.error();
  return (*db)->invitation_sent(series_id);
}

}  // namespace kutsu::service
