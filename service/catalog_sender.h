// CatalogSender: the service's NotificationSender. It finds a claimed row's
// planned Notification in the SeriesCatalog, renders it (notifier::Renderer)
// and hands the bytes to the e-mail or webhook delivery the config chose.
//
// Outcomes that never reach a server are permanent failures with the reason
// as detail: a row whose series is no longer loaded (its file was removed,
// or was broken when the daemon started), a rendering error, a webhook
// without configured endpoints. As NotificationSender requires, `done` is
// always called later on the io_context, never inside send().
//
// Lifetimes: io, catalog, renderer, deliveries, clock and the opt-out links
// must outlive it.
// Not thread-safe: the event loop's thread only.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "model/opt_out_link.h"
#include "notifier/delivery.h"
#include "notifier/renderer.h"
#include "scheduler/clock.h"
#include "scheduler/notification_sender.h"
#include "service/series_catalog.h"

namespace kutsu::service {

class CatalogSender final : public scheduler::NotificationSender {
 public:
  // `webhooks` may be null when the config defines no endpoint.
  // `opt_out_links`: every e-mail carries its recipient's link while set.
  CatalogSender(boost::asio::io_context& io, const SeriesCatalog& catalog,
                const notifier::Renderer& renderer, notifier::EmailDelivery& email,
                notifier::WebhookDelivery* webhooks, std::string from,
                const scheduler::Clock& clock,
                const std::optional<model::OptOutLinks>& opt_out_links);

  void send(const store::NotificationRow& row, Done done) override;

 private:
  void fail_later(Done done, std::string why);

  boost::asio::io_context& io_;
  const SeriesCatalog& catalog_;
  const notifier::Renderer& renderer_;
  notifier::EmailDelivery& email_;
  notifier::WebhookDelivery* webhooks_;
  std::string from_;
  const scheduler::Clock& clock_;
  const std::optional<model::OptOutLinks>& opt_out_links_;
};

}  // namespace kutsu::service
