#include "admin/outbox_figures.h"

#include <memory>
#include <utility>

namespace kutsu::admin {

void read_status_figures(store::AsyncOutbox& outbox,
                         std::function<void(Result<StatusFigures>)> done) {
  outbox.async_state_counts(
      std::nullopt, std::nullopt,
      [&outbox, done = std::move(done)](Result<store::StateCounts> counts) mutable {
        if (!counts) return done(counts.error());
        // The (state, due) index makes this a single probe.
        store::NotificationQuery first_pending;
        first_pending.state = store::NotificationState::pending;
        first_pending.limit = 1;
        outbox.async_list(
            first_pending, [&outbox, counts = std::move(*counts), done = std::move(done)](
                               Result<store::NotificationPage> page) mutable {
              if (!page) return done(page.error());
              StatusFigures figures;
              figures.counts = counts;
              if (!page->rows.empty()) figures.next_pending = std::move(page->rows.front());
              outbox.async_next_due([figures = std::move(figures), done = std::move(done)](
                                        Result<std::optional<store::Instant>> next_due) mutable {
                if (!next_due) return done(next_due.error());
                figures.next_due = *next_due;
                done(std::move(figures));
              });
            });
      });
}

void OutboxFiguresCache::invalidate() {
  status_.invalidate();
  kinds_.invalidate();
}

}  // namespace kutsu::admin
