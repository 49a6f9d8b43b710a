// The two delivery interfaces the dispatcher talks to: one for e-mail
// (SmtpTransport, MaildirWriter) and one for webhooks (WebhookTransport).
// They exist so the dispatcher can be tested with fakes, and so the daemon can
// pick SMTP or maildir from the config without the dispatcher knowing.
//
// Contract shared by every implementation:
//  - send() never blocks on the network or the disk and never calls `done`
//    itself; `done` runs exactly once, later, on the io_context thread the
//    implementation was built with, with the attempt's AttemptResult
//    (base/attempt_result.h), classified as
//      sent       the server accepted it (SMTP 2xx after DATA, HTTP 2xx, file
//                 renamed into new/)
//      retry      SMTP 4xx, HTTP 408/429/5xx, network errors, timeouts
//      permanent  SMTP 5xx, other HTTP statuses, a message that cannot be sent
//    with the server's code when one answered, and a `detail` an admin can
//    act on ("connection refused", the reply line) that never contains a
//    secret or a body.
//  - send() may be called again from inside `done`.
//  - Destroying an implementation abandons sends still in flight: their
//    `done` is destroyed without being called (the outbox still says
//    `sending`, so they go out again after a restart: at least once).
//  - Not thread-safe: call send() on the io_context thread.
#pragma once

#include <functional>

#include "base/attempt_result.h"
#include "notifier/message.h"

namespace kutsu::notifier {

using DeliveryCallback = std::function<void(AttemptResult)>;

class EmailDelivery {
 public:
  virtual ~EmailDelivery() = default;
  virtual void send(EmailMessage message, DeliveryCallback done) = 0;
};

class WebhookDelivery {
 public:
  virtual ~WebhookDelivery() = default;
  virtual void send(WebhookCall call, DeliveryCallback done) = 0;
};

}  // namespace kutsu::notifier
