// OutboxFiguresCache: the outbox figures that every GET /api/v1/status and
// every /metrics scrape show, kept for a short time (`ttl`, 1 s in the
// daemon) instead of counting the whole table on each request; and
// read_status_figures(), which asks the outbox for them.
//
// Why: the status route is polled (the status page, monitoring, wrk at
// 20,000 requests/s) and handlers run on the daemon's event loop, so a
// GROUP BY over a million rows per request would stall the dispatcher (on
// SQLite) or queue behind the dispatcher's claims (on PostgreSQL). The
// price is that counts may lag the store by up to `ttl`; the API drops the
// cache itself after a change it made (retry, reload) so that its own
// effects show at once. A ttl of zero reads the store on every call.
//
// Requests that find the figures stale while a read is under way wait for
// that read instead of starting their own: once a second every connection
// of a busy client found them stale in the same turn of the loop, and 32
// counts of a 40,000-row table, one per connection, held every request for
// 45 ms (bench/run admin: p99 45 ms instead of under 1 ms).
//
// Not thread-safe: used on the event loop's thread only, like the outbox.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "base/result.h"
#include "store/async_outbox.h"

namespace kutsu::admin {

struct StatusFigures {
  store::StateCounts counts;
  std::optional<store::NotificationRow> next_pending;  // the earliest pending notification
  std::optional<store::Instant> next_due;              // Outbox::next_due (retrying too)
};

// Counts, the earliest pending row and next_due, one query after another;
// `done` runs later on the loop (destroyed uncalled with the outbox).
void read_status_figures(store::AsyncOutbox& outbox,
                         std::function<void(Result<StatusFigures>)> done);

class OutboxFiguresCache {
 public:
  template <typename T>
  using Done = std::function<void(Result<T>)>;
  // Asks the store and calls its argument once, later (or never, when the
  // asker is gone).
  template <typename T>
  using Read = std::function<void(Done<T>)>;

  explicit OutboxFiguresCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  // `done` gets the figures kept while younger than the ttl; otherwise
  // those of the read under way, or of one started now with `read`. What a
  // read brings is kept (an error never is). `done` may run inside the call.
  void status(Done<StatusFigures> done, const Read<StatusFigures>& read) {
    status_.get(std::move(done), read, ttl_);
  }
  void kinds(Done<std::vector<store::KindStateCounts>> done,
             const Read<std::vector<store::KindStateCounts>>& read) {
    kinds_.get(std::move(done), read, ttl_);
  }

  // Forget everything: the next call reads the store, even while an older
  // read is still under way.
  void invalidate();

 private:
  using Clock = std::chrono::steady_clock;

  template <typename T>
  class Figures {
   public:
    void get(Done<T> done, const Read<T>& read, std::chrono::milliseconds ttl);
    void invalidate() {
      read_at_.reset();
      reading_.reset();
    }

   private:
    // The callers waiting for one read.
    struct Waiting {
      std::vector<Done<T>> callers;
    };

    std::optional<Clock::time_point> read_at_;
    T kept_{};
    std::shared_ptr<Waiting> reading_;  // null: no read under way
  };

  std::chrono::milliseconds ttl_;
  Figures<StatusFigures> status_;
  Figures<std::vector<store::KindStateCounts>> kinds_;
};

template <typename T>
void OutboxFiguresCache::Figures<T>::get(Done<T> done, const Read<T>& read,
                                          std::chrono::milliseconds ttl) {
  if (read_at_ && Clock::now() - *read_at_ < ttl) return done(kept_);
  if (reading_) return reading_->callers.push_back(std::move(done));
  auto waiting = std::make_shared<Waiting>();
  waiting->callers.push_back(std::move(done));
  reading_ = waiting;
  read([this, waiting](Result<T> result) {
    if (reading_ == waiting) {  // not invalidated meanwhile
      reading_.reset();
      if (result) {
        kept_ = *result;
        read_at_ = Clock::now();
      }
    }
    for (Done<T>& caller : waiting->callers) caller(result);
  });
}

}  // namespace kutsu::admin
