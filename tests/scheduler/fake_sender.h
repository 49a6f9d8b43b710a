// FakeSender: a NotificationSender for dispatcher tests. Answers each send
// with what `answer` says for that row, later, on the loop (after `delay`,
// a slow relay, when set); or, when `hold` is set, keeps the callback until
// the test releases it.
//
// Lifetimes: the io_context must outlive it; answers not yet given when it
// is destroyed are abandoned (a delayed one's timer holds a weak_ptr).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/notification_sender.h"

namespace kutsu::scheduler::testing {

namespace asio = boost::asio;

class FakeSender final : public NotificationSender {
 public:
  explicit FakeSender(asio::io_context& io) : io_(io) {}

  void send(const store::NotificationRow& row, Done done) override {
    sent.push_back(row.id);
    if (hold) {
      held.emplace_back(row.id, std::move(done));
      return;
    }
    if (delay.count() > 0) {
      auto timer = std::make_shared<asio::steady_timer>(io_, delay);
      timer->async_wait([this, timer, row, done = std::move(done),
                         life = std::weak_ptr<int>(life_)](const boost::system::error_code&) {
        if (!life.expired()) done(answer(row));
      });
      return;
    }
    asio::post(io_, [this, row, done = std::move(done), life = std::weak_ptr<int>(life_)] {
      if (!life.expired()) done(answer(row));
    });
  }

  void release_one(AttemptResult result) {
    auto [id, done] = std::move(held.front());
    held.pop_front();
    done(std::move(result));
  }

  std::function<AttemptResult(const store::NotificationRow&)> answer =
      [](const store::NotificationRow&) { return AttemptResult::sent(250, "2.0.0 OK: queued"); };
  bool hold = false;
  std::chrono::milliseconds delay{0};
  std::vector<std::string> sent;
  std::deque<std::pair<std::string, Done>> held;

 private:
  asio::io_context& io_;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::scheduler::testing
