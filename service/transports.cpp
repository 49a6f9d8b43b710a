#include "service/transports.h"

#include <utility>

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "notifier/maildir_writer.h"
#include "notifier/smtp_delivery_pool.h"
#include "notifier/webhook_transport.h"

namespace kutsu::service {

notifier::StartTls starttls_of(config::StartTls starttls) {
  switch (starttls) {
    case config::StartTls::required:
      return notifier::StartTls::required;
    case config::StartTls::opportunistic:
      return notifier::StartTls::opportunistic;
    case config::StartTls::off:
      return notifier::StartTls::off;
  }
  return notifier::StartTls::required;
}

std::string whsec_of(const config::Secret& key) {
  const std::string& bytes = key.reveal();
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(length));
  return "whsec_" + encoded;
}

Result<Transports> make_transports(boost::asio::io_context& io,
                                   boost::asio::any_io_executor disk,
                                   const config::DaemonConfig& config,
                                   std::function<date::sys_seconds()> now) {
  Transports made;
  const config::EmailSettings& mail = config.email;
  if (mail.transport == config::EmailTransport::smtp) {
    notifier::SmtpSettings settings;
    settings.url = mail.url;
    settings.starttls = starttls_of(mail.starttls);
    settings.username = mail.username.value_or("");
    if (mail.password) settings.password = mail.password->reveal();
    settings.max_connections = mail.max_connections;
    settings.timeout = config.delivery.timeout;
    Result<std::unique_ptr<notifier::SmtpDeliveryPool>> smtp =
        notifier::SmtpDeliveryPool::create(io, std::move(settings));
    if (!smtp) return smtp.error();
    made.email = std::move(*smtp);
    spdlog::info("e-mail goes to {}", mail.url);
  } else {
    made.email = std::make_unique<notifier::MaildirWriter>(io.get_executor(), std::move(disk),
                                                           mail.maildir);
    spdlog::info("e-mail goes to the maildir {}", mail.maildir.string());
  }

  if (!config.webhooks.empty()) {
    notifier::WebhookSettings settings;
    settings.timeout = config.delivery.timeout;
    for (const config::WebhookEndpoint& webhook : config.webhooks) {
      settings.endpoints.push_back({webhook.name, webhook.url, whsec_of(webhook.signing_key)});
    }
    Result<std::unique_ptr<notifier::WebhookTransport>> transport =
        notifier::WebhookTransport::create(io, std::move(settings), std::move(now));
    if (!transport) return transport.error();
    made.webhooks = std::move(*transport);
  }
  return made;
}

}  // namespace kutsu::service
