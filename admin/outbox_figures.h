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
// Not thread-safe: used on the event loop's thread only, like the outbox.
#pragma once

#include <chrono>
#include <functional>
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
  explicit OutboxFiguresCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  // What was kept, while younger than the ttl; null otherwise.
  const StatusFigures* status() const { return fresh(status_read_at_) ? &status_ : nullptr; }
  const std::vector<store::KindStateCounts>* kinds() const {
    return fresh(kinds_read_at_) ? &kinds_ : nullptr;
  }
  // Keeps what was just read (an error is never kept).
  void keep(StatusFigures figures);
  void keep(std::vector<store::KindStateCounts> kinds);

  // Forget everything: the next call reads the store.
  void invalidate();

 private:
  using Clock = std::chrono::steady_clock;
  bool fresh(const std::optional<Clock::time_point>& read_at) const;

  std::chrono::milliseconds ttl_;
  std::optional<Clock::time_point> status_read_at_;
  StatusFigures status_;
  std::optional<Clock::time_point> kinds_read_at_;
  std::vector<store::KindStateCounts> kinds_;
};

}  // namespace kutsu::admin
