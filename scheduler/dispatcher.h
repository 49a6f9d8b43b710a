// Dispatcher: sends every notification of the outbox at its moment, on one
// Asio event loop (architecture.md: "One event loop", "The outbox is the
// truth", "Timers re-check the clock").
//
// The loop: a wall-clock timer (asio::system_timer) waits for the earliest
// due notification in the outbox, never longer than `max_wait`, and re-reads
// the outbox and the clock after every wake, so a wall-clock jump or a
// suspend makes nothing later than that cap. On waking it claims what is due
// in slices of `claim_batch` (posting itself again between slices; at most
// `max_in_flight` notifications are out at once), hands each to the
// NotificationSender, and records the outcomes in batches: a batch is
// written when `flush_count` outcomes wait or `flush_delay` after the first,
// so a burst of thousands costs a few transactions, not one per send; for
// the same reason, with every slot taken, claiming resumes only once a
// quarter of them are free again.
// A `retry` outcome gets its next attempt from the RetryPolicy (backoff,
// jitter, Retry-After) or, with the attempts used up, fails.
//
// Time comes from the injected Clock only; the outbox stores whole seconds, so
// a notification due at second S is claimed as soon as the clock reads S.
//
// Threading and lifetimes: everything runs on the thread that runs `io`;
// construct, call and destroy the Dispatcher there (or before `io` runs).
// `io`, `outbox`, `clock` and `sender` must outlive it; the sender must drop
// its pending callbacks before the Dispatcher is destroyed (destroy the
// transports first). Outbox failures are logged and retried after
// `error_pause`; they never throw out of the loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>

#include "scheduler/clock.h"
#include "scheduler/delivery_stats.h"
#include "scheduler/misfire_rule.h"
#include "scheduler/notification_sender.h"
#include "scheduler/retry_policy.h"
#include "store/outbox.h"

namespace kutsu::scheduler {

struct DispatcherSettings {
  RetryPolicy retry;
  std::size_t max_in_flight = 512;
  // Claimed (and handed to the sender, which renders) per turn of the loop:
  // a burst is taken in slices so that timers and admin requests get the
  // loop in between instead of waiting for hundreds of renders. With SMTP
  // pipelined, this loop is what limits a burst; slices of 32 renders and
  // flushes of 128 results (a few ms each) kept the admin API's p99 under
  // 40 ms during a 40,000-mail burst, where 64 and 256 let it reach 60 ms,
  // at the same burst rate.
  std::size_t claim_batch = 32;
  std::chrono::seconds max_wait{30};
  std::size_t flush_count = 128;
  std::chrono::milliseconds flush_delay{5};
  std::chrono::milliseconds error_pause{1000};
  std::chrono::milliseconds stop_grace{10'000};  // how long stop() waits for sends in flight
  // A reminder nobody has tried yet that is claimed past the rule (the wall
  // clock jumped forward, the machine was suspended, the loop stalled) is
  // marked missed instead of sent: "starts in an hour" after the start
  // helps nobody. Invitations, updates and cancellations go out late.
  MisfireRule misfire;
  // Uniform in [0, 1), for the retry jitter; empty: a seeded std::mt19937.
  std::function<double()> unit_random;
};

class Dispatcher {
 public:
  Dispatcher(boost::asio::io_context& io, store::Outbox& outbox, const Clock& clock,
             NotificationSender& sender, DispatcherSettings settings);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts serving: claims what is due now and arms the timer.
  void start();

  // Re-reads the outbox now (after a reload changed what is due).
  void wake();

  // Stops claiming; once the sends in flight have finished, or `stop_grace`
  // has passed, records every outcome collected and calls `done` (on the io
  // thread). Sends still out after the grace stay `sending` in the outbox and
  // go out again after a restart.
  void stop(std::function<void()> done);

  std::size_t in_flight() const { return in_flight_; }
  // Outcomes collected and not yet recorded.
  std::size_t unrecorded() const { return unrecorded_.size(); }
  // Attempts and lateness since start (for /metrics).
  const DeliveryStats& stats() const { return stats_; }

 private:
  void arm();           // sets the timer for the next due (capped)
  void dispatch_due();  // claims what is due and sends it
  // Takes the reminders too late to send (settings_.misfire) out of
  // `claimed` and marks them missed.
  void drop_misfired(std::vector<store::NotificationRow>& claimed, store::Instant now);
  void on_outcome(const store::NotificationRow& row, int attempt, AttemptResult outcome);
  void schedule_flush();
  void flush();
  void finish_stop();
  double unit_random();

  boost::asio::io_context& io_;
  store::Outbox& outbox_;
  const Clock& clock_;
  NotificationSender& sender_;
  DispatcherSettings settings_;

  boost::asio::system_timer due_timer_;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer stop_timer_;
  std::uint64_t due_generation_ = 0;  // a wait that fires after being re-armed is stale
  bool flush_armed_ = false;
  bool dispatch_posted_ = false;
  bool starved_ = false;  // due work was left for lack of room; claim when a quarter frees up
  std::size_t in_flight_ = 0;
  std::vector<store::RecordedAttempt> unrecorded_;
  DeliveryStats stats_;
  bool stopping_ = false;
  std::function<void()> stop_done_;
  struct Random;
  std::unique_ptr<Random> random_;
  // Handlers posted to io_ hold a weak_ptr and do nothing once it expired.
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::scheduler
