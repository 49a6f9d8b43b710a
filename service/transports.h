// Transports: the deliveries a daemon config asks for, built for the
// daemon's event loop — e-mail through SMTP ([email] transport = "smtp": a
// pool with a loop of its own, so a burst's SMTP dialogue does not delay the
// main loop's timers and admin requests, smtp_delivery_pool.h) or into a
// maildir (fsyncs on `disk`, never on the loop), and webhook calls when the
// config has [[webhook]]s. Each is logged where it goes (never a secret).
//
// Owns the transports it made; the Service takes them as Deliveries and must
// be destroyed first. A transport the settings refuse (a bad SMTP URL, …)
// is the Error the notifier gave, and nothing is built.
//
// Lifetimes: `io` and `disk` must outlive the transports; `now` is called on
// the loop (webhook signatures carry the time).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <date/date.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "base/result.h"
#include "config/daemon_config.h"
#include "notifier/delivery.h"
#include "notifier/smtp_settings.h"
#include "service/service.h"

namespace kutsu::service {

struct Transports {
  std::unique_ptr<notifier::EmailDelivery> email;        // always one
  std::unique_ptr<notifier::WebhookDelivery> webhooks;  // null without [[webhook]]

  Deliveries deliveries() const { return Deliveries{email.get(), webhooks.get()}; }
};

Result<Transports> make_transports(boost::asio::io_context& io,
                                   boost::asio::any_io_executor disk,
                                   const config::DaemonConfig& config,
                                   std::function<date::sys_seconds()> now);

// The parts of make_transports() that translate the config:
// the notifier's STARTTLS policy for the config's,
notifier::StartTls starttls_of(config::StartTls starttls);
// and a webhook's decoded signing key in the "whsec_" + base64 form the
// Standard Webhooks secret is written in (the form the transport takes).
std::string whsec_of(const config::Secret& key);

}  // namespace kutsu::service
