#include "notifier/smtp_delivery_pool.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace kutsu::notifier {
namespace {

// Bulk SMTP yields the CPU to the daemon's event loop, whose timers and admin
// requests are waiting on a deadline: on a busy machine a burst must slow
// down a little rather than make a due reminder or /healthz wait for a slice.
// Raising one's own nice value needs no privilege; if it fails anyway, the
// pool still works at equal priority, which is worth a warning, not a stop.
void lower_priority_of_this_thread() {
  constexpr int kNice = 5;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice) != 0) {
    spdlog::warn("SMTP delivery thread keeps its priority: setpriority: {}",
                 std::generic_category().message(errno));
  }
}

}  // namespace

Result<std::unique_ptr<SmtpDeliveryPool>> SmtpDeliveryPool::create(boost::asio::io_context& home,
                                                                   SmtpSettings settings,
                                                                   std::size_t loops) {
  if (Status valid = validate(settings); !valid) return valid.error();
  const auto total = static_cast<std::size_t>(std::max(settings.max_connections, 1L));
  loops = std::clamp<std::size_t>(loops, 1, total);

  std::unique_ptr<SmtpDeliveryPool> pool(new SmtpDeliveryPool(home));
  for (std::size_t i = 0; i < loops; ++i) {
    auto loop = std::make_unique<Loop>();
    SmtpSettings share = settings;
    // Spread the connections: 8 over 3 loops is 3, 3, 2.
    share.max_connections = static_cast<long>(total / loops + (i < total % loops ? 1 : 0));
    auto transport = SmtpTransport::create(loop->io, std::move(share));
    if (!transport) return transport.error();  // loops already started are joined by ~pool
    loop->transport = std::move(*transport);
    loop->thread = std::thread([io = &loop->io] {
      lower_priority_of_this_thread();
      io->run();
    });
    pool->loops_.push_back(std::move(loop));
  }
  return pool;
}

SmtpDeliveryPool::~SmtpDeliveryPool() {
  std::vector<Finished> dropped;
  {
    std::lock_guard lock(results_->mutex);
    results_->alive = false;
    dropped.swap(results_->queue);
  }
  for (auto& loop : loops_) {
    loop->io.stop();
    if (loop->thread.joinable()) loop->thread.join();
    // The transport closes its connections here, on this thread, after its
    // loop has stopped: nothing else touches it any more.
    loop->transport.reset();
  }
  // Results a loop handed back while stopping are dropped with the rest.
  std::lock_guard lock(results_->mutex);
  results_->queue.clear();
}

void SmtpDeliveryPool::send(EmailMessage message, DeliveryCallback done) {
  Loop& loop = *loops_[next_];
  next_ = (next_ + 1) % loops_.size();
  bool wake = false;
  {
    std::lock_guard lock(loop.mutex);
    wake = loop.incoming.empty();
    loop.incoming.push_back(
        Job{std::move(message), std::move(done), boost::asio::make_work_guard(home_)});
  }
  // A hand-over already queued on the loop takes this message too.
  if (wake) {
    boost::asio::post(loop.io, [&loop, results = results_, &home = home_] {
      start_incoming(loop, results, home);
    });
  }
}

// On the loop's thread.
void SmtpDeliveryPool::start_incoming(Loop& loop, const std::shared_ptr<Results>& results,
                                      boost::asio::io_context& home) {
  std::vector<Job> jobs;
  {
    std::lock_guard lock(loop.mutex);
    jobs.swap(loop.incoming);
  }
  for (Job& job : jobs) {
    loop.transport->send(
        std::move(job.message), [results, &home, done = std::move(job.done),
                                 work = std::move(job.work)](AttemptResult result) mutable {
          hand_back(results, home, Finished{std::move(done), std::move(result), std::move(work)});
        });
  }
}

// On a loop's thread: queue the result, and wake `home` if nothing else is
// queued (otherwise a hand-over is already on its way).
void SmtpDeliveryPool::hand_back(const std::shared_ptr<Results>& results,
                                 boost::asio::io_context& home, Finished finished) {
  bool wake = false;
  {
    std::lock_guard lock(results->mutex);
    if (!results->alive) return;  // the pool is being destroyed: drop it
    wake = results->queue.empty();
    results->queue.push_back(std::move(finished));
  }
  if (wake) boost::asio::post(home, [results] { deliver_results(results); });
}

// On `home`'s thread.
void SmtpDeliveryPool::deliver_results(const std::shared_ptr<Results>& results) {
  std::vector<Finished> ready;
  {
    std::lock_guard lock(results->mutex);
    if (!results->alive) return;
    ready.swap(results->queue);
  }
  for (Finished& finished : ready) {
    // A callback may destroy the pool; the rest are then dropped, as the
    // contract says for sends in flight.
    {
      std::lock_guard lock(results->mutex);
      if (!results->alive) return;
    }
    finished.done(std::move(finished.result));
  }
}

}  // namespace kutsu::notifier
