// AsyncLoadStore: a LoadStore (load_store.h) over an AsyncOutbox on the
// event loop — how a load on the reload worker writes to PostgreSQL while
// the loop goes on sending. Each call posts the asynchronous call to the
// loop and blocks the worker (never the loop) until its handler ran.
//
// Every wait ends: an ordinary call gives up after `timeout`
// (ErrorCode::unavailable). An apply_plan waits until its answer, because
// the outbox reads the caller's PlannedRows until then; the outbox bounds
// each of its statements (PgOutboxSettings::plan_timeout), and a handler
// destroyed uncalled (the outbox destroyed) counts as an answer
// (unavailable). cancel() ends every wait at once, now and later, with
// unavailable: the owner calls it before joining the worker, from the
// loop's thread, and must then destroy the AsyncOutbox before the loop runs
// another handler (an apply it abandoned may still hold the rows).
//
// Threading and lifetimes: calls from one worker thread; cancel() and the
// destructor on the loop's thread. Owned by someone else (the service);
// the io_context and the AsyncOutbox must outlive it. What is posted holds
// only a weak_ptr to its state, so a call that runs after this is gone
// answers unavailable to nobody.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include <boost/asio/io_context.hpp>

#include "service/load_store.h"
#include "store/async_outbox.h"

namespace kutsu::service {

class AsyncLoadStore final : public LoadStore {
 public:
  AsyncLoadStore(boost::asio::io_context& io, store::AsyncOutbox& outbox,
                 std::chrono::milliseconds timeout);
  ~AsyncLoadStore() override;
  AsyncLoadStore(const AsyncLoadStore&) = delete;
  AsyncLoadStore& operator=(const AsyncLoadStore&) = delete;

  void cancel();

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

  // What every call shares with what it posted: the lock, the wake-up and
  // whether cancel() was called.
  struct Gate {
    std::mutex mutex;
    std::condition_variable answered;
    bool cancelled = false;
  };

 private:
  // Posts `call` with a handler and waits for its answer (bounded: at most
  // timeout_).
  template <typename T>
  Result<T> ask(std::function<void(store::AsyncOutbox&, std::function<void(Result<T>)>)> call,
                bool bounded);
  Status ask_status(std::function<void(store::AsyncOutbox&, store::AsyncOutbox::StatusHandler)> call);

  boost::asio::io_context& io_;
  store::AsyncOutbox& outbox_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
};

}  // namespace kutsu::service
