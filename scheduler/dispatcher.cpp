#include "scheduler/dispatcher.h"

#include <algorithm>
#include <iterator>
#include <random>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace kutsu::scheduler {

namespace asio = boost::asio;
using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::nanoseconds;
using std::chrono::seconds;

namespace {

// "reminder PT1H of webinaarit/verkosto by email to matti@example.org": what
// a log reader needs to know which send this was, without the database.
std::string describe(const store::NotificationRow& row) {
  std::string text = row.kind;
  if (row.offset) text += " " + *row.offset;
  text += " of " + row.series_id;
  if (row.session_id) text += "/" + *row.session_id;
  return text + " by " + row.channel + " to " + row.recipient;
}

}  // namespace

struct Dispatcher::Random {
  std::mt19937_64 engine{std::random_device{}()};
  std::uniform_real_distribution<double> unit{0.0, 1.0};
};

Dispatcher::Dispatcher(asio::io_context& io, store::AsyncOutbox& outbox, const Clock& clock,
                       NotificationSender& sender, DispatcherSettings settings)
    : io_(io),
      outbox_(outbox),
      clock_(clock),
      sender_(sender),
      settings_(std::move(settings)),
      due_timer_(io),
      flush_timer_(io),
      stop_timer_(io),
      renew_timer_(io),
      take_over_timer_(io),
      random_(std::make_unique<Random>()) {
  settings_.max_in_flight = std::max<std::size_t>(settings_.max_in_flight, 1);
  settings_.flush_count = std::max<std::size_t>(settings_.flush_count, 1);
  settings_.claim_batch = std::max<std::size_t>(settings_.claim_batch, 1);
  settings_.send_slice = std::max<std::size_t>(settings_.send_slice, 1);
}

Dispatcher::~Dispatcher() = default;

void Dispatcher::start() {
  dispatch_due();
  schedule_take_over();
  // Another node's reload or retry may make something due before the
  // capped wait ends; the outbox says so at once.
  outbox_.async_listen_for_wakes(
      [this, life = std::weak_ptr<int>(life_)] {
        if (!life.expired()) wake();
      },
      [this, life = std::weak_ptr<int>(life_)](Status listening) {
        if (life.expired() || listening) return;
        spdlog::error("outbox: cannot listen for new due times from other nodes (waiting at most "
                      "{} s instead): {}",
                      settings_.max_wait.count(), listening.error().message);
      });
}

void Dispatcher::wake() {
  if (stopping_ || dispatch_posted_) return;
  dispatch_posted_ = true;
  asio::post(io_, [this, life = std::weak_ptr<int>(life_)] {
    if (life.expired()) return;
    dispatch_posted_ = false;
    dispatch_due();
  });
}

double Dispatcher::unit_random() {
  return settings_.unit_random ? settings_.unit_random() : random_->unit(random_->engine);
}

void Dispatcher::arm() {
  if (stopping_) return;
  const std::uint64_t generation = ++due_generation_;
  if (in_flight_ >= settings_.max_in_flight) {
    // With no room for more sends the timer only keeps the cap; a finished
    // send re-arms it.
    arm_timer(settings_.max_wait, generation);
    return;
  }
  outbox_.async_next_due([this, generation, life = std::weak_ptr<int>(life_)](
                             Result<std::optional<store::Instant>> next) {
    if (life.expired() || generation != due_generation_ || stopping_) return;
    nanoseconds wait = settings_.max_wait;
    if (!next) {
      spdlog::error("outbox: cannot read the next due notification: {}", next.error().message);
      wait = settings_.error_pause;
    } else if (*next) {
      wait = std::min(wait, std::max(nanoseconds{0}, **next - clock_.now()));
    }
    arm_timer(wait, generation);
  });
}

void Dispatcher::arm_timer(nanoseconds wait, std::uint64_t generation) {
  due_timer_.expires_after(duration_cast<asio::system_timer::duration>(wait));
  due_timer_.async_wait(
      [this, generation, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
        if (life.expired() || ec == asio::error::operation_aborted) return;
        if (generation != due_generation_) return;
        dispatch_due();
      });
}

void Dispatcher::dispatch_due() {
  if (stopping_) return;
  if (claiming_) {
    claim_again_ = true;  // what woke us may have made more due than that claim saw
    return;
  }
  const std::size_t room = settings_.max_in_flight - in_flight_;
  if (room == 0) {
    starved_ = true;
    arm();
    return;
  }
  const std::size_t batch = std::min(room, settings_.claim_batch);
  const store::Instant now = floor<seconds>(clock_.now());
  claiming_ = true;
  claim_again_ = false;
  ++due_generation_;  // the claim's answer arms anew; a wait set before it is stale
  outbox_.async_claim_due(
      now, batch,
      [this, now, batch, room, life = std::weak_ptr<int>(life_)](
          Result<std::vector<store::NotificationRow>> claimed) {
        if (life.expired()) return;
        claiming_ = false;
        on_claimed(std::move(claimed), now, batch, room);
      });
}

void Dispatcher::on_claimed(Result<std::vector<store::NotificationRow>> claimed,
                            store::Instant now, std::size_t batch, std::size_t room) {
  if (!claimed) {
    spdlog::error("outbox: cannot claim due notifications: {}", claimed.error().message);
    if (stopping_) {
      if (idle()) finish_stop();
      return;
    }
    arm_timer(settings_.error_pause, ++due_generation_);
    return;
  }
  const std::size_t claimed_count = claimed->size();
  // Rows claimed are `sending`: they go out even when stop() came meanwhile,
  // which then waits for them like any other send.
  drop_misfired(*claimed, now);
  for (store::NotificationRow& row : *claimed) {
    take(row);
    to_send_.push_back(std::move(row));
  }
  send_slice();
  if (stopping_) {
    if (idle()) finish_stop();
    return;
  }
  if (claimed_count == room) {
    // More may be due. Claim again once a quarter of the slots are free:
    // claiming row by row as single sends finish costs a query per send.
    starved_ = true;
    claim_again_ = false;
    arm();
  } else if (claimed_count == batch || claim_again_) {
    // More may be due and there is room: claim the next batch after whatever
    // else waits on the loop (a timer, an admin request, finished sends).
    claim_again_ = false;
    wake();
  } else {
    arm();
  }
}

void Dispatcher::send_slice() {
  for (std::size_t sent = 0; sent < settings_.send_slice && !to_send_.empty(); ++sent) {
    store::NotificationRow row = std::move(to_send_.front());
    to_send_.pop_front();
    hand_to_sender(row);
  }
  if (to_send_.empty() || slice_posted_) return;
  slice_posted_ = true;
  asio::post(io_, [this, life = std::weak_ptr<int>(life_)] {
    if (life.expired()) return;
    slice_posted_ = false;
    send_slice();
  });
}

void Dispatcher::take(const store::NotificationRow& row) {
  ++in_flight_;
  sending_.insert(row.id);
  watch_leases();
}

void Dispatcher::send(const store::NotificationRow& row) {
  take(row);
  hand_to_sender(row);
}

void Dispatcher::hand_to_sender(const store::NotificationRow& row) {
  const int attempt = row.attempts + 1;
  spdlog::debug("sending {} ({} {} attempt {})", row.id, row.kind, row.channel, attempt);
  sender_.send(row, [this, row, attempt, life = std::weak_ptr<int>(life_)](AttemptResult result) {
    if (life.expired()) return;
    on_outcome(row, attempt, std::move(result));
  });
}

void Dispatcher::drop_misfired(std::vector<store::NotificationRow>& claimed, store::Instant now) {
  std::vector<store::NotificationRow> late;
  for (const store::NotificationRow& row : claimed) {
    if (row.kind != "reminder" || row.attempts != 0) continue;
    const model::TimeSpan session{row.session_start, row.session_start};
    if (settings_.misfire.classify(model::NotificationKind::reminder, row.due, session, now) ==
        DueState::missed) {
      late.push_back(row);
    }
  }
  if (late.empty()) return;
  std::vector<std::string> ids;
  for (const store::NotificationRow& row : late) ids.push_back(row.id);
  std::erase_if(claimed, [&](const store::NotificationRow& row) {
    return std::find(ids.begin(), ids.end(), row.id) != ids.end();
  });
  // Counted in flight until the outbox answers: they are claimed, and
  // stop() must not finish while they could still be sent.
  in_flight_ += late.size();
  outbox_.async_mark_missed(
      std::move(ids), now, store::AsyncOutbox::MissScope::unsent,
      [this, late = std::move(late), life = std::weak_ptr<int>(life_)](
          Result<std::size_t> missed) {
        if (life.expired()) return;
        in_flight_ -= late.size();
        if (!missed) {
          // Late is better than stuck in `sending`: they go out after all.
          spdlog::error("outbox: cannot mark {} late reminders missed, sending them: {}",
                        late.size(), missed.error().message);
          for (const store::NotificationRow& row : late) send(row);
          return;
        }
        spdlog::warn("{} reminders came due more than {} s ago or after their session began (the "
                     "clock jumped or the daemon was held up): missed, not sent",
                     late.size(), settings_.misfire.grace.count());
        if (stopping_) {
          if (idle()) finish_stop();
        } else {
          wake();  // their slots are free again
        }
      });
}

void Dispatcher::on_outcome(const store::NotificationRow& row, int attempt, AttemptResult result) {
  --in_flight_;
  sending_.erase(row.id);
  const std::string& id = row.id;
  const auto precise_now = clock_.now();
  const store::Instant now = floor<seconds>(precise_now);
  stats_.record_attempt(row.channel, result.outcome);
  if (result.outcome == AttemptOutcome::sent) stats_.record_lateness(precise_now - row.due);
  const std::string code = result.code ? std::to_string(*result.code) : "-";
  const std::string what = describe(row);
  std::optional<store::Instant> next_attempt_at;
  switch (result.outcome) {
    case AttemptOutcome::sent:
      spdlog::info("sent {} ({}, attempt {}, {})", id, what, attempt, code);
      break;
    case AttemptOutcome::retry:
      next_attempt_at =
          settings_.retry.next_attempt(attempt, now, result.retry_after, unit_random());
      if (next_attempt_at) {
        spdlog::warn("retrying {} ({}) at {} (attempt {} of {}: {} {})", id, what,
                     date::format("%FT%TZ", *next_attempt_at), attempt,
                     settings_.retry.max_attempts, code, result.detail);
      } else {
        spdlog::error("failed {} ({}) after {} attempts ({} {})", id, what, attempt, code,
                      result.detail);
      }
      break;
    case AttemptOutcome::permanent:
      spdlog::error("failed {} ({}) permanently ({} {})", id, what, code, result.detail);
      break;
  }
  unrecorded_.push_back(store::RecordedAttempt{id, {now, std::move(result)}, next_attempt_at});
  if (unrecorded_.size() >= settings_.flush_count && !record_failing_) {
    flush();
  } else {
    schedule_flush(settings_.flush_delay);
  }
  if (stopping_) {
    if (idle()) finish_stop();
    return;
  }
  const std::size_t refill = std::max<std::size_t>(settings_.max_in_flight / 4, 1);
  if (starved_ && in_flight_ + refill <= settings_.max_in_flight) {
    starved_ = false;
    wake();
  }
}

void Dispatcher::schedule_flush(std::chrono::milliseconds delay) {
  if (flush_armed_ || finishing_) return;
  flush_armed_ = true;
  flush_timer_.expires_after(delay);
  flush_timer_.async_wait(
      [this, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
        if (life.expired() || ec == asio::error::operation_aborted) return;
        flush_armed_ = false;
        flush();
      });
}

void Dispatcher::flush() {
  // One batch at a time: what arrives meanwhile goes in the next one, when
  // this one is answered (on_flushed).
  if (flushing_ || unrecorded_.empty()) return;
  flushing_ = true;
  std::vector<store::RecordedAttempt> batch = std::move(unrecorded_);
  unrecorded_.clear();
  recording_ = batch.size();
  // The copy comes back to the handler: a batch that failed is kept.
  std::vector<store::RecordedAttempt> sent_batch = batch;
  outbox_.async_record_results(
      std::move(sent_batch),
      [this, batch = std::move(batch), life = std::weak_ptr<int>(life_)](Status recorded) mutable {
        if (life.expired()) return;
        on_flushed(std::move(recorded), std::move(batch));
      });
}

void Dispatcher::on_flushed(Status recorded, std::vector<store::RecordedAttempt> batch) {
  flushing_ = false;
  recording_ = 0;
  record_failing_ = !recorded;
  if (!recorded) {
    // Kept for the next try, ahead of what came since (the history keeps its
    // order); if the process dies first, the rows are still `sending` and
    // go out again after the restart (at least once).
    spdlog::error("outbox: cannot record {} delivery results: {}", batch.size(),
                  recorded.error().message);
    unrecorded_.insert(unrecorded_.begin(), std::make_move_iterator(batch.begin()),
                       std::make_move_iterator(batch.end()));
    if (finishing_) return complete_stop();
    flush_timer_.cancel();
    flush_armed_ = false;
    schedule_flush(settings_.error_pause);
    return;
  }
  if (finishing_) {
    if (unrecorded_.empty()) return complete_stop();
    return flush();  // what arrived while the last batch was written
  }
  const bool any_retry =
      std::any_of(batch.begin(), batch.end(),
                  [](const store::RecordedAttempt& attempt) { return attempt.next_attempt_at; });
  if (any_retry) wake();  // a retry may now be the earliest due
  if (unrecorded_.size() >= settings_.flush_count) {
    flush();
  } else if (!unrecorded_.empty()) {
    schedule_flush(settings_.flush_delay);
  }
}

void Dispatcher::stop(std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  stop_done_ = std::move(done);
  ++due_generation_;
  due_timer_.cancel();
  take_over_timer_.cancel();
  spdlog::info("stopping: {} deliveries in flight", in_flight_);
  if (idle()) {
    // Never inside stop(): the caller may still be setting up around it.
    asio::post(io_, [this, life = std::weak_ptr<int>(life_)] {
      if (!life.expired()) finish_stop();
    });
    return;
  }
  stop_timer_.expires_after(settings_.stop_grace);
  stop_timer_.async_wait(
      [this, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
        if (life.expired() || ec == asio::error::operation_aborted) return;
        spdlog::warn(
            "stopping: {} deliveries still in flight after the grace; they will be "
            "sent again after a restart",
            in_flight_);
        finish_stop();
      });
}

void Dispatcher::finish_stop() {
  if (!stop_done_ || finishing_) return;
  finishing_ = true;
  // Past the grace, what still waits for its slice is not sent now: the
  // sender may be gone once `done` has run. Those rows stay `sending` and
  // go out again after a restart, as the sends still out do.
  for (const store::NotificationRow& row : to_send_) {
    --in_flight_;
    sending_.erase(row.id);
  }
  to_send_.clear();
  stop_timer_.cancel();
  flush_timer_.cancel();
  flush_armed_ = false;
  if (flushing_) return;  // on_flushed goes on from there
  if (unrecorded_.empty()) return complete_stop();
  flush();
}

void Dispatcher::complete_stop() {
  if (!unrecorded_.empty()) {
    spdlog::error("stopping: {} delivery results could not be recorded; those notifications will "
                  "be sent again after a restart",
                  unrecorded_.size());
  }
  // Outcomes of sends that outlast the grace are still recorded as usual
  // while the dispatcher lives.
  finishing_ = false;
  auto done = std::move(stop_done_);
  stop_done_ = nullptr;
  if (done) done();
}

}  // namespace kutsu::scheduler
