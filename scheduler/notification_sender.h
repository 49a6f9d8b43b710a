// NotificationSender: how the dispatcher gets one claimed notification out of
// the door, without knowing about templates, SMTP or webhooks.
//
// The scheduler sits below the notifier (architecture.md: scheduler depends
// on agenda and store only), so the dispatcher talks to this small interface;
// the daemon implements it with the notifier's Renderer and transports, and
// the dispatcher's tests with a fake.
//
// Contract for implementations (the same as notifier/delivery.h):
//  - send() never blocks on the network or the disk and never calls `done`
//    itself; `done` runs exactly once, later, on the io_context thread the
//    dispatcher runs on. A notification that cannot be rendered is a
//    `permanent` outcome naming the reason, delivered through `done` too.
//  - Destroying the sender may abandon sends in flight (their `done` is
//    dropped): the outbox still says `sending`, so they go out again after a
//    restart.
//  - Not thread-safe: called on the io_context thread only.
#pragma once

#include <functional>

#include "base/attempt_result.h"
#include "store/rows.h"

namespace kutsu::scheduler {

class NotificationSender {
 public:
  // How the attempt ended, as the delivery side classified it.
  using Done = std::function<void(AttemptResult)>;

  virtual ~NotificationSender() = default;
  // `row` is a notification the dispatcher has just claimed (state sending).
  virtual void send(const store::NotificationRow& row, Done done) = 0;
};

}  // namespace kutsu::scheduler
