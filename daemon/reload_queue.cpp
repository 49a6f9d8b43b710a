#include "daemon/reload_queue.h"

#include <algorithm>

#include <boost/asio/error.hpp>

namespace kutsu::cli {

ReloadQueue::ReloadQueue(boost::asio::io_context& io, std::function<void()> reload)
    : timer_(io), reload_(std::move(reload)) {}

ReloadQueue::~ReloadQueue() { timer_.cancel(); }

void ReloadQueue::request() {
  if (waiting_) {
    ++merged_;
    return;
  }
  waiting_ = true;
  timer_.expires_at(std::max(Clock::now(), earliest_next_));
  // The queue outlives the loop's handlers: it is destroyed after run() returns.
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error == boost::asio::error::operation_aborted || !waiting_) return;
    run();
  });
}

void ReloadQueue::run_now() {
  if (waiting_) {
    ++merged_;
    timer_.cancel();
  }
  run();
}

void ReloadQueue::run() {
  waiting_ = false;
  const Clock::time_point started = Clock::now();
  reload_();
  ++runs_;
  const Clock::time_point ended = Clock::now();
  earliest_next_ = ended + std::max<Clock::duration>(kMinimumPause, 2 * (ended - started));
}

}  // namespace kutsu::cli
