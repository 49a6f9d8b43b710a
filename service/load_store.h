// LoadStore: what a load of series_dir (series_dir_load.h) asks of the
// outbox, as plain blocking calls for the reload worker's thread — so that
// the one load procedure serves both stores:
//  - SqliteLoadStore: an SQLite outbox connection (store/outbox.h), either
//    one given (start-up, on the calling thread before anything is served)
//    or one it opens on first use on the worker, sharing the loop
//    connection's health;
//  - AsyncLoadStore (async_load_store.h): any AsyncOutbox on the event loop
//    (PostgreSQL), each call asked for on the loop and waited for here.
//
// The calls and their errors are those of store::Outbox; apply_plan also
// takes the series file's content hash (AsyncOutbox::async_apply_plan),
// which SQLite does not keep.
//
// Threading: one thread at a time (the worker's, or the starting thread).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/outbox.h"
#include "store/planned_rows.h"
#include "store/rows.h"

namespace kutsu::service {

class LoadStore {
 public:
  virtual ~LoadStore() = default;

  virtual Result<store::PlanGeneration> next_plan_generation() = 0;
  virtual Result<store::PlanDiff> apply_plan(const std::string& series_id,
                                             const std::string& series_version,
                                             const store::PlannedRows& wanted, store::Instant now,
                                             store::ApplyOptions options) = 0;
  virtual Result<std::size_t> mark_missed(const std::vector<std::string>& ids, store::Instant now,
                                          store::Outbox::MissScope scope) = 0;
  virtual Result<std::vector<std::string>> overdue_unsent(const std::string& series_id,
                                                          store::Instant now) = 0;
  virtual Status put_series_version(const store::SeriesVersion& version) = 0;
  virtual Result<std::vector<store::SeriesVersion>> series_versions() = 0;
  virtual Status put_session_version(const store::SessionVersion& version) = 0;
  virtual Result<std::vector<store::SessionVersion>> session_versions(
      const std::string& series_id) = 0;
  virtual Result<bool> invitation_sent(const std::string& series_id) = 0;
};

// A plan that wants nothing: a series whose file is gone.
class NoRows final : public store::PlannedRows {
 public:
  std::size_t size() const override { return 0; }
  store::IdDigits id(std::size_t) const override { return {}; }
  store::Instant due(std::size_t) const override { return {}; }
  std::string_view kind(std::size_t) const override { return {}; }
  std::string_view channel(std::size_t) const override { return {}; }
  std::string_view recipient(std::size_t) const override { return {}; }
  store::PlannedNotification row(std::size_t) const override { return {}; }
};

class SqliteLoadStore final : public LoadStore {
 public:
  // Over `outbox`, which must outlive this.
  explicit SqliteLoadStore(store::Outbox& outbox) : outbox_(&outbox) {}
  // Opens its own connection to `main`'s file at the first call (on the
  // thread that makes it) and notes failures in `main`'s health too; `main`
  // must outlive this.
  static std::unique_ptr<SqliteLoadStore> beside(const store::Outbox& main);

  Result<store::PlanGeneration> next_plan_generation() override;
  Result<store::PlanDiff> apply_plan(const std::string& series_id, const std::string& series_version,
                                     const store::PlannedRows& wanted, store::Instant now,
                                     store::ApplyOptions options) override;
  Result<std::size_t> mark_missed(const std::vector<std::string>& ids, store::Instant now,
                                  store::Outbox::MissScope scope) override;
  Result<std::vector<std::string>> overdue_unsent(const std::string& series_id,
                                                  store::Instant now) override;
  Status put_series_version(const store::SeriesVersion& version) override;
  Result<std::vector<store::SeriesVersion>> series_versions() override;
  Status put_session_version(const store::SessionVersion& version) override;
  Result<std::vector<store::SessionVersion>> session_versions(const std::string& series_id) override;
  Result<bool> invitation_sent(const std::string& series_id) override;

 private:
  explicit SqliteLoadStore(const store::Outbox* main) : main_(main) {}
  // The connection, opened now if this store opens its own.
  Result<store::Outbox*> outbox();

  store::Outbox* outbox_ = nullptr;
  const store::Outbox* main_ = nullptr;
  std::optional<store::Outbox> own_;
};

}  // namespace kutsu::service
