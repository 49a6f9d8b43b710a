#include "service/reloader.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace kutsu::service {

namespace asio = boost::asio;

namespace {

// A load is CPU work (parsing, planning, sorting a million ids) that must
// not take the event loop's core from due sends: below the SMTP thread's
// nice 5. Raising one's own nice value needs no privilege.
constexpr int kWorkerNice = 10;

void lower_priority() {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kWorkerNice) != 0) {
    spdlog::warn("reload worker keeps its priority: setpriority: {}", std::strerror(errno));
  }
}

}  // namespace

Reloader::Reloader(asio::io_context& io, LoadStore& store, Snapshot snapshot, Apply apply)
    : io_(io), store_(store), snapshot_(std::move(snapshot)), apply_(std::move(apply)) {}

Reloader::~Reloader() { worker_.join(); }

model::ReloadQueued Reloader::request(Done done) {
  if (stopping_) return model::ReloadQueued::merged;  // shutting down: nothing more is loaded
  if (!running_) {
    serving_.clear();
    if (done) serving_.push_back(std::move(done));
    start();
    return model::ReloadQueued::started;
  }
  const bool merged = waiting_.has_value();
  if (!merged) waiting_.emplace();
  if (done) waiting_->push_back(std::move(done));
  if (merged) ++merged_;
  return merged ? model::ReloadQueued::merged : model::ReloadQueued::waiting;
}

void Reloader::start() {
  running_ = true;
  LoadRequest request = snapshot_();
  // The worker outlives every job posted to it (joined in the destructor);
  // `this` is alive until then, and the result comes back through the loop.
  asio::post(worker_, [this, request = std::move(request)]() mutable {
    if (!lowered_) {
      lower_priority();  // the first job on the worker's one thread
      lowered_ = true;
    }
    auto outcome = std::make_unique<LoadOutcome>(load_series_dir(store_, std::move(request)));
    asio::post(io_, [this, outcome = std::move(outcome)]() mutable {
      finished(std::move(outcome));
    });
  });
}

void Reloader::finished(std::unique_ptr<LoadOutcome> outcome) {
  ++loads_;
  running_ = false;
  apply_(*outcome);
  for (Done& done : serving_) done(outcome->report);
  serving_.clear();
  // The catalog taken out of force is freed on the worker (a big plan's
  // rows take as long to free as to sort), before the next load starts there.
  asio::post(worker_, [retired = std::move(outcome)] {});
  if (stopping_) {
    waiting_.reset();
    if (on_stopped_) std::exchange(on_stopped_, nullptr)();
    return;
  }
  if (waiting_) {
    serving_ = std::move(*waiting_);
    waiting_.reset();
    start();
  }
}

void Reloader::stop(std::function<void()> done) {
  stopping_ = true;
  if (running_) {
    on_stopped_ = std::move(done);
    return;
  }
  asio::post(io_, std::move(done));
}

}  // namespace kutsu::service
