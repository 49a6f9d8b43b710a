// Dispatcher: sends every notification of the outbox at its moment, on one
// Asio event loop (architecture.md: "One event loop", "The outbox is the
// truth", "Timers re-check the clock").
//
// The outbox is an AsyncOutbox: every read and write is asked for and
// answered later, so an outbox on a database server never holds up the
// loop. One claim is in flight at a time (a wake meanwhile claims again
// when it is answered), and one batch of outcomes is being recorded at a
// time: outcomes arriving meanwhile wait for the next batch.
//
// The loop: a wall-clock timer (asio::system_timer) waits for the earliest
// due notification in the outbox, never longer than `max_wait`, and re-reads
// the outbox and the clock after every wake, so a wall-clock jump or a
// suspend makes nothing later than that cap. On waking it claims what is due
// in batches of `claim_batch` and hands them to the NotificationSender in
// slices of `send_slice` (posting itself again between slices; at most
// `max_in_flight` notifications are out at once, claimed ones waiting for
// their slice included), and records the outcomes in batches: a batch is
// written when `flush_count` outcomes wait or `flush_delay` after the first,
// so a burst of thousands costs a few transactions, not one per send; for
// the same reason, with every slot taken, claiming resumes only once a
// quarter of them are free again.
// A `retry` outcome gets its next attempt from the RetryPolicy (backoff,
// jitter, Retry-After) or, with the attempts used up, fails.
//
// Several nodes (a PostgreSQL outbox): every `renew_every` while sends are
// out the dispatcher renews the leases of the rows still in flight, so a
// slow relay never lets another node send them again; every
// `take_over_every` it asks the outbox to take over rows whose lease ran
// out (a node that died mid-send) and wakes if it found any; and it wakes
// whenever the outbox says another node made something due
// (async_listen_for_wakes), the capped wait staying as a safety net.
//
// Time comes from the injected Clock only; the outbox stores whole seconds, so
// a notification due at second S is claimed as soon as the clock reads S.
//
// Threading and lifetimes: everything runs on the thread that runs `io`;
// construct, call and destroy the Dispatcher there (or before `io` runs).
// `io`, `outbox`, `clock` and `sender` must outlive it; the sender must drop
// its pending callbacks before the Dispatcher is destroyed (destroy the
// transports first). Owned by someone else (the service): handlers hold a
// weak_ptr to `life_`, so destroying it abandons what is in flight (the
// rows it was sending stay `sending`, for recovery or take-over). Outbox
// failures are logged and retried after `error_pause`; they never throw out
// of the loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
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
#include "store/async_outbox.h"

namespace kutsu::scheduler {

struct DispatcherSettings {
  RetryPolicy retry;
  std::size_t max_in_flight = 512;
  // Claimed at most per claim, and handed to the sender (which renders)
  // per turn of the loop. A burst is sent in slices so that timers and
  // admin requests get the loop in between instead of waiting for hundreds
  // of renders: slices of 32 renders and flushes of 128 results (a few ms
  // each) kept the admin API's p99 under 40 ms during a 40,000-mail burst,
  // where 64 and 256 let it reach 60 ms, at the same burst rate. On
  // PostgreSQL a claim costs a round trip and a statement (about 0.6 ms of
  // it the statement itself), so the service claims 256, several slices at
  // once, and asks for the next claim while those go out. On SQLite a claim
  // is a statement run on the loop itself: one slice a claim, or the admin
  // API's p99 during a burst rose from 14–42 ms to 73–103 ms.
  std::size_t claim_batch = 32;
  std::size_t send_slice = 32;
  std::chrono::seconds max_wait{30};
  std::size_t flush_count = 128;
  std::chrono::milliseconds flush_delay{5};
  std::chrono::milliseconds error_pause{1000};
  std::chrono::milliseconds stop_grace{10'000};  // how long stop() waits for sends in flight
  // A third of the default lease (PT60S): two renewals may fail before a
  // send in flight could be taken over. Zero: never (the single-node
  // outbox keeps no leases, and renewing there does nothing anyway).
  std::chrono::milliseconds renew_every{20'000};
  // How often to take over rows whose lease ran out; zero: never (one node).
  std::chrono::milliseconds take_over_every{0};
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
  Dispatcher(boost::asio::io_context& io, store::AsyncOutbox& outbox, const Clock& clock,
             NotificationSender& sender, DispatcherSettings settings);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts serving: claims what is due now and arms the timer.
  void start();

  // Re-reads the outbox now (after a reload changed what is due).
  void wake();

  // Stops claiming; once the sends in flight (and a claim being answered)
  // have finished, or `stop_grace` has passed, records every outcome
  // collected, waits for that to be written, and calls `done` (on the io
  // thread, never inside stop()). Sends still out after the grace stay
  // `sending` in the outbox and go out again after a restart.
  void stop(std::function<void()> done);

  std::size_t in_flight() const { return in_flight_; }
  // Outcomes collected and not yet recorded (the batch being written included).
  std::size_t unrecorded() const { return unrecorded_.size() + recording_; }
  // Attempts and lateness since start (for /metrics).
  const DeliveryStats& stats() const { return stats_; }

 private:
  void arm();           // sets the timer for the next due (capped)
  void arm_timer(std::chrono::nanoseconds wait, std::uint64_t generation);
  void dispatch_due();  // claims what is due and sends it
  void on_claimed(Result<std::vector<store::NotificationRow>> claimed, store::Instant now,
                  std::size_t batch, std::size_t room);
  // Takes the reminders too late to send (settings_.misfire) out of
  // `claimed` and marks them missed; sends them after all if that fails.
  void drop_misfired(std::vector<store::NotificationRow>& claimed, store::Instant now);
  // Counts `row` in flight and renews its lease from now on.
  void take(const store::NotificationRow& row);
  void send(const store::NotificationRow& row);  // take, then hand it to the sender
  void hand_to_sender(const store::NotificationRow& row);
  void send_slice();  // the next `send_slice` of `to_send_`; posts itself for the rest
  void on_outcome(const store::NotificationRow& row, int attempt, AttemptResult outcome);
  void schedule_flush(std::chrono::milliseconds delay);
  void flush();
  void on_flushed(Status recorded, std::vector<store::RecordedAttempt> batch);
  // stop(): done once nothing is in flight, a claim included.
  bool idle() const { return in_flight_ == 0 && !claiming_; }
  void finish_stop();
  void complete_stop();
  double unit_random();

  // Leases (dispatcher_leases.cpp).
  void watch_leases();  // starts renewing once something is in flight
  void renew_leases();
  void schedule_take_over();
  void take_over();

  boost::asio::io_context& io_;
  store::AsyncOutbox& outbox_;
  const Clock& clock_;
  NotificationSender& sender_;
  DispatcherSettings settings_;

  boost::asio::system_timer due_timer_;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer stop_timer_;
  boost::asio::steady_timer renew_timer_;
  boost::asio::steady_timer take_over_timer_;
  // A timer wait or a next_due answer that arrives after being superseded
  // (re-armed, or a claim started) is stale.
  std::uint64_t due_generation_ = 0;
  bool flush_armed_ = false;
  bool dispatch_posted_ = false;
  bool starved_ = false;  // due work was left for lack of room; claim when a quarter frees up
  bool claiming_ = false;     // a claim is in flight
  bool claim_again_ = false;  // woken while claiming: claim again when it is answered
  std::size_t in_flight_ = 0;  // claimed and not yet answered: waiting for a slice, at the
                               // sender, or being marked missed
  std::deque<store::NotificationRow> to_send_;  // claimed, waiting for their slice
  bool slice_posted_ = false;
  std::set<std::string> sending_;  // ids handed to the sender: their leases are renewed
  bool renew_armed_ = false;
  bool renewing_ = false;
  std::vector<store::RecordedAttempt> unrecorded_;
  std::size_t recording_ = 0;  // outcomes in the batch being written; 0: none
  bool flushing_ = false;
  bool record_failing_ = false;  // the last batch failed: the next waits for the error pause
  DeliveryStats stats_;
  bool stopping_ = false;
  bool finishing_ = false;  // stop: the last flush is under way
  std::function<void()> stop_done_;
  struct Random;
  std::unique_ptr<Random> random_;
  // Handlers posted to io_ hold a weak_ptr and do nothing once it expired.
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::scheduler
