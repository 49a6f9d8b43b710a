#include "service/catalog_sender.h"

#include <utility>

#include <boost/asio/post.hpp>

namespace kutsu::service {

CatalogSender::CatalogSender(boost::asio::io_context& io, const SeriesCatalog& catalog,
                             const notifier::Renderer& renderer, notifier::EmailDelivery& email,
                             notifier::WebhookDelivery* webhooks, std::string from,
                             const scheduler::Clock& clock,
                             const std::optional<model::OptOutLinks>& opt_out_links)
    : io_(io),
      catalog_(catalog),
      renderer_(renderer),
      email_(email),
      webhooks_(webhooks),
      from_(std::move(from)),
      clock_(clock),
      opt_out_links_(opt_out_links) {}

void CatalogSender::fail_later(Done done, std::string why) {
  boost::asio::post(
      io_, [done = std::move(done), why = std::move(why)] { done(AttemptResult::permanent(why)); });
}

void CatalogSender::send(const store::NotificationRow& row, Done done) {
  std::optional<SeriesCatalog::Found> found = catalog_.find(row.id);
  if (!found) {
    fail_later(std::move(done), "series '" + row.series_id +
                                    "' no longer plans this notification (file removed or "
                                    "invalid)");
    return;
  }
  notifier::RenderContext context;
  context.from = from_;
  context.now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  context.opt_out_links = opt_out_links_ ? &*opt_out_links_ : nullptr;
  if (found->notification->series == &found->series->series) {
    context.series_times = &found->series->plan.times;
  }
  // Rendering is synchronous: the series outlives this call.
  context.revision = [series = found->series](std::string_view session_id) {
    notifier::SessionRevision revision;
    revision.sequence = series->sequence_of(session_id);
    if (auto it = series->previous_times.find(session_id); it != series->previous_times.end()) {
      revision.previous_start = it->second.start;
      revision.previous_end = it->second.end;
    }
    return revision;
  };

  if (found->notification->channel == agenda::Channel::email) {
    Result<notifier::EmailMessage> message = renderer_.render_email(*found->notification, context);
    if (!message) {
      fail_later(std::move(done), "cannot render: " + message.error().message);
      return;
    }
    email_.send(std::move(*message), std::move(done));
    return;
  }
  if (webhooks_ == nullptr) {
    fail_later(std::move(done), "no [[webhook]] endpoints in the daemon config");
    return;
  }
  Result<notifier::WebhookCall> call = renderer_.render_webhook(*found->notification, context);
  if (!call) {
    fail_later(std::move(done), "cannot render: " + call.error().message);
    return;
  }
  webhooks_->send(std::move(*call), std::move(done));
}

}  // namespace kutsu::service
