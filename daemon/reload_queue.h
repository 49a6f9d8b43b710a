// ReloadQueue: the daemon's reloads, coalesced, so that a storm of SIGHUPs
// cannot starve the dispatcher (100 signals in 3 s used to make 96 full
// reloads back to back, and a 3,000-mail burst took 12.9 s instead of 1).
//
// A reload runs on the event loop; at most one more waits. request() (a
// signal) makes the waiting one, or joins it if there is one already. The
// waiting reload starts when the previous one has been over for at least
// max(1 s, twice its duration), so reloads take at most a third of the loop
// whatever the rate of signals, and every request is served by a reload
// that started after it. run_now() (the admin API, which answers with the
// report) runs at once and serves the waiting request too.
//
// Event loop thread only; `reload` must outlive the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kutsu::cli {

class ReloadQueue {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kMinimumPause{1000};

  ReloadQueue(boost::asio::io_context& io, std::function<void()> reload);
  ~ReloadQueue();
  ReloadQueue(const ReloadQueue&) = delete;
  ReloadQueue& operator=(const ReloadQueue&) = delete;

  void request();
  void run_now();

  // Requests served by a reload that other requests had already asked for.
  std::uint64_t merged() const { return merged_; }
  std::uint64_t runs() const { return runs_; }

 private:
  void run();

  boost::asio::steady_timer timer_;
  std::function<void()> reload_;
  bool waiting_ = false;
  Clock::time_point earliest_next_{};
  std::uint64_t merged_ = 0;
  std::uint64_t runs_ = 0;
};

}  // namespace kutsu::cli
