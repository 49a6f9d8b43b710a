#include "notifier/smtp_delivery_pool.h"

#include <algorithm>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <utility>

namespace kutsu::notifier {

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
    loop->thread = std::thread([io = &loop->io] { io->run(); });
    pool->loops_.push_back(std::move(loop));
  }
  return pool;
}

SmtpDeliveryPool::~SmtpDeliveryPool() {
  *alive_ = false;
  for (auto& loop : loops_) {
    loop->io.stop();
    if (loop->thread.joinable()) loop->thread.join();
    // The transport closes its connections here, on this thread, after its
    // loop has stopped: nothing else touches it any more.
    loop->transport.reset();
  }
}

void SmtpDeliveryPool::send(EmailMessage message, DeliveryCallback done) {
  Loop& loop = *loops_[next_];
  next_ = (next_ + 1) % loops_.size();
  // Like any Asio operation in progress, a send keeps `home` from running out
  // of work until its result has been handed over: the tracked executor
  // counts as outstanding work for as long as a copy of it lives.
  auto home = boost::asio::prefer(home_.get_executor(),
                                  boost::asio::execution::outstanding_work.tracked);
  boost::asio::post(loop.io, [&loop, home, alive = alive_, message = std::move(message),
                              done = std::move(done)]() mutable {
    loop.transport->send(std::move(message),
                         [home, alive, done = std::move(done)](DeliveryResult result) mutable {
                           boost::asio::post(home, [alive, done = std::move(done),
                                                    result = std::move(result)]() mutable {
                             if (*alive) done(std::move(result));
                           });
                         });
  });
}

}  // namespace kutsu::notifier
