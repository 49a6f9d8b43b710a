#include "admin/outbox_figures.h"

namespace kutsu::admin {

bool OutboxFiguresCache::fresh(const std::optional<Clock::time_point>& read_at) const {
  return read_at && Clock::now() - *read_at < ttl_;
}

Result<StatusFigures> OutboxFiguresCache::status_figures(store::Outbox& outbox) {
  if (fresh(status_read_at_)) return status_;
  Result<store::StateCounts> counts = outbox.state_counts();
  if (!counts) return counts.error();
  // The (state, due) index makes this a single probe.
  store::NotificationQuery first_pending;
  first_pending.state = store::NotificationState::pending;
  first_pending.limit = 1;
  Result<store::NotificationPage> page = outbox.list(first_pending);
  if (!page) return page.error();
  Result<std::optional<store::Instant>> next_due = outbox.next_due();
  if (!next_due) return next_due.error();

  status_.counts = *counts;
  status_.next_pending.reset();
  if (!page->rows.empty()) status_.next_pending = std::move(page->rows.front());
  status_.next_due = *next_due;
  status_read_at_ = Clock::now();
  return status_;
}

Result<std::vector<store::KindStateCounts>> OutboxFiguresCache::kind_counts(store::Outbox& outbox) {
  if (fresh(kinds_read_at_)) return kinds_;
  Result<std::vector<store::KindStateCounts>> kinds = outbox.kind_state_counts();
  if (!kinds) return kinds.error();
  kinds_ = std::move(*kinds);
  kinds_read_at_ = Clock::now();
  return kinds_;
}

void OutboxFiguresCache::invalidate() {
  status_read_at_.reset();
  kinds_read_at_.reset();
}

}  // namespace kutsu::admin
