// Dispatcher: the leases of several nodes on one outbox. A node renews the
// leases of what it is still sending, so that a slow relay never makes
// another node send it again; and takes over the rows of a node whose lease
// ran out (it died mid-send), so that they are not stuck in `sending`.
#include <spdlog/spdlog.h>

#include "scheduler/dispatcher.h"

namespace kutsu::scheduler {

namespace asio = boost::asio;

void Dispatcher::watch_leases() {
  if (renew_armed_ || settings_.renew_every.count() <= 0) return;
  renew_armed_ = true;
  renew_timer_.expires_after(settings_.renew_every);
  renew_timer_.async_wait(
      [this, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
        if (life.expired() || ec == asio::error::operation_aborted) return;
        renew_armed_ = false;
        renew_leases();
      });
}

void Dispatcher::renew_leases() {
  // Sends that outlast stop()'s grace are renewed too: until their outcome
  // is in, another node sending them would make a duplicate.
  if (sending_.empty()) return;  // the next send starts the timer again
  watch_leases();
  // One renewal at a time: a slow database must not pile them up.
  if (renewing_) return;
  renewing_ = true;
  outbox_.async_renew_leases(
      std::vector<std::string>(sending_.begin(), sending_.end()),
      [this, count = sending_.size(), life = std::weak_ptr<int>(life_)](Status renewed) {
        if (life.expired()) return;
        renewing_ = false;
        if (!renewed) {
          spdlog::error("outbox: cannot renew the leases of {} deliveries in flight (tried again "
                        "in {} ms): {}",
                        count, settings_.renew_every.count(), renewed.error().message);
        }
      });
}

void Dispatcher::schedule_take_over() {
  if (stopping_ || settings_.take_over_every.count() <= 0) return;
  take_over_timer_.expires_after(settings_.take_over_every);
  take_over_timer_.async_wait(
      [this, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
        if (life.expired() || ec == asio::error::operation_aborted) return;
        take_over();
      });
}

void Dispatcher::take_over() {
  if (stopping_) return;
  const store::Instant now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  outbox_.async_take_over(now, [this, life = std::weak_ptr<int>(life_)](
                                   Result<std::size_t> taken) {
    if (life.expired()) return;
    if (!taken) {
      spdlog::error("outbox: cannot take over the deliveries of stopped nodes: {}",
                    taken.error().message);
    } else if (*taken > 0) {
      spdlog::warn("took over {} deliveries whose node stopped renewing their lease; sending "
                   "them again",
                   *taken);
      wake();
    }
    schedule_take_over();
  });
}

}  // namespace kutsu::scheduler
