#include "service/async_load_store.h"

#include <optional>
#include <utility>

#include <boost/asio/post.hpp>

namespace kutsu::service {

namespace {

Error cancelled_error() {
  return Error{"the outbox is shutting down; the load stopped", ErrorCode::unavailable};
}

// One call's answer, filled once under the gate's lock. The Promise side
// is what the handler holds: destroyed unfilled (the handler destroyed
// uncalled), it fills the answer with `unavailable`, so the worker never
// waits for a handler that will not run.
template <typename T>
struct Answer {
  std::optional<Result<T>> value;
};

template <typename T>
class Promise {
 public:
  Promise(std::shared_ptr<AsyncLoadStore::Gate> gate, std::shared_ptr<Answer<T>> answer)
      : gate_(std::move(gate)), answer_(std::move(answer)) {}
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;
  ~Promise() { fill(Error{"the outbox dropped the call unanswered", ErrorCode::unavailable}); }

  void fill(Result<T> result) {
    {
      std::lock_guard lock(gate_->mutex);
      if (answer_->value) return;
      answer_->value.emplace(std::move(result));
    }
    gate_->answered.notify_all();
  }

 private:
  std::shared_ptr<AsyncLoadStore::Gate> gate_;
  std::shared_ptr<Answer<T>> answer_;
};

}  // namespace

AsyncLoadStore::AsyncLoadStore(boost::asio::io_context& io, store::AsyncOutbox& outbox,
                               std::chrono::milliseconds timeout)
    : io_(io), outbox_(outbox), timeout_(timeout) {}

AsyncLoadStore::~AsyncLoadStore() { cancel(); }

void AsyncLoadStore::cancel() {
  {
    std::lock_guard lock(gate_->mutex);
    gate_->cancelled = true;
  }
  gate_->answered.notify_all();
}

template <typename T>
Result<T> AsyncLoadStore::ask(
    std::function<void(store::AsyncOutbox&, std::function<void(Result<T>)>)> call, bool bounded) {
  auto answer = std::make_shared<Answer<T>>();
  auto promise = std::make_shared<Promise<T>>(gate_, answer);
  std::weak_ptr<Gate> gate = gate_;
  store::AsyncOutbox* outbox = &outbox_;
  boost::asio::post(io_, [gate, outbox, promise, call = std::move(call)]() mutable {
    std::shared_ptr<Gate> alive = gate.lock();
    if (!alive) return;  // the promise, destroyed with this handler, answers
    {
      std::lock_guard lock(alive->mutex);
      if (alive->cancelled) return;
    }
    call(*outbox, [promise](Result<T> result) { promise->fill(std::move(result)); });
  });
  promise.reset();  // only the posted handler and the outbox's hold it now

  std::unique_lock lock(gate_->mutex);
  const auto until = std::chrono::steady_clock::now() + timeout_;
  auto done = [&] { return answer->value.has_value() || gate_->cancelled; };
  if (bounded) {
    if (!gate_->answered.wait_until(lock, until, done)) {
      return Error{"the outbox did not answer within " + std::to_string(timeout_.count()) + " ms",
                   ErrorCode::unavailable};
    }
  } else {
    gate_->answered.wait(lock, done);
  }
  if (!answer->value) return cancelled_error();
  return std::move(*answer->value);
}

Status AsyncLoadStore::ask_status(
    std::function<void(store::AsyncOutbox&, store::AsyncOutbox::StatusHandler)> call) {
  // A Status answer travels as a Result<bool>.
  Result<bool> done = ask<bool>(
      [call = std::move(call)](store::AsyncOutbox& outbox, std::function<void(Result<bool>)> reply) {
        call(outbox, [reply = std::move(reply)](Status status) {
          if (!status) return reply(status.error());
          reply(true);
        });
      },
      true);
  if (!done) return done.error();
  return {};
}

Result<store::PlanGeneration> AsyncLoadStore::next_plan_generation() {
  return ask<store::PlanGeneration>(
      [](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_next_plan_generation(std::move(reply));
      },
      true);
}

// Unbounded here: `wanted` must outlive the outbox's use of it, which ends
// only with the handler (see the header).
Result<store::PlanDiff> AsyncLoadStore::apply_plan(const std::string& series_id,
                                                   const std::string& series_version,
                                                   const store::PlannedRows& wanted,
                                                   store::Instant now,
                                                   store::ApplyOptions options) {
  return ask<store::PlanDiff>(
      [&wanted, series_id, series_version, now, options](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_apply_plan(series_id, series_version, wanted, now, options, std::move(reply));
      },
      false);
}

Result<std::size_t> AsyncLoadStore::mark_missed(const std::vector<std::string>& ids,
                                                store::Instant now,
                                                store::Outbox::MissScope scope) {
  return ask<std::size_t>(
      [ids, now, scope](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_mark_missed(ids, now, scope, std::move(reply));
      },
      true);
}

Result<std::vector<std::string>> AsyncLoadStore::overdue_unsent(const std::string& series_id,
                                                                store::Instant now) {
  return ask<std::vector<std::string>>(
      [series_id, now](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_overdue_unsent(series_id, now, std::move(reply));
      },
      true);
}

Status AsyncLoadStore::put_series_version(const store::SeriesVersion& version) {
  return ask_status([version](store::AsyncOutbox& outbox, auto reply) {
    outbox.async_put_series_version(version, std::move(reply));
  });
}

Result<std::vector<store::SeriesVersion>> AsyncLoadStore::series_versions() {
  return ask<std::vector<store::SeriesVersion>>(
      [](store::AsyncOutbox& outbox, auto reply) { outbox.async_series_versions(std::move(reply)); },
      true);
}

Status AsyncLoadStore::put_session_version(const store::SessionVersion& version) {
  return ask_status([version](store::AsyncOutbox& outbox, auto reply) {
    outbox.async_put_session_version(version, std::move(reply));
  });
}

Result<std::vector<store::SessionVersion>> AsyncLoadStore::session_versions(
    const std::string& series_id) {
  return ask<std::vector<store::SessionVersion>>(
      [series_id](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_session_versions(series_id, std::move(reply));
      },
      true);
}

Result<bool> AsyncLoadStore::invitation_sent(const std::string& series_id) {
  return ask<bool>(
      [series_id](store::AsyncOutbox& outbox, auto reply) {
        outbox.async_invitation_sent(series_id, std::move(reply));
      },
      true);
}

}  // namespace kutsu::service
