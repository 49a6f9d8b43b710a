// DaemonConfig's small methods and its printing (as TOML, secrets hidden).
#include "config/daemon_config.h"

#include <toml++/toml.h>

#include <algorithm>

#include "config/exact_duration.h"

namespace kutsu::config {

std::string_view to_string(EmailTransport transport) {
  return transport == EmailTransport::smtp ? "smtp" : "maildir";
}

std::string_view to_string(StartTls starttls) {
  switch (starttls) {
    case StartTls::required:
      return "required";
    case StartTls::opportunistic:
      return "opportunistic";
    case StartTls::off:
      return "off";
  }
  return "required";
}

std::chrono::seconds DeliverySettings::backoff_after(int attempt) const {
  if (backoff.empty()) return std::chrono::seconds{0};
  const auto index = static_cast<std::size_t>(std::max(attempt, 1) - 1);
  return backoff[std::min(index, backoff.size() - 1)];
}

const WebhookEndpoint* DaemonConfig::webhook(std::string_view name) const {
  for (const WebhookEndpoint& endpoint : webhooks) {
    if (endpoint.name == name) return &endpoint;
  }
  return nullptr;
}

std::ostream& operator<<(std::ostream& out, const DaemonConfig& config) {
  // Built as a toml::table so that quoting and escaping are toml++'s, not ours.
  // A secret only ever appears as the string "***" beside the file it came from.
  auto duration = [](std::chrono::seconds d) { return format_exact_duration(d); };
  toml::table root;
  root.insert("daemon", toml::table{{"series_dir", config.daemon.series_dir.string()},
                                    {"state_dir", config.daemon.state_dir.string()},
                                    {"misfire_grace", duration(config.daemon.misfire_grace)},
                                    {"plan_horizon", duration(config.daemon.plan_horizon)},
                                    {"cancel_delay", duration(config.daemon.cancel_delay)}});
  toml::table http{{"listen", config.http.listen.to_string()},
                   {"max_connections", config.http.max_connections},
                   {"max_connections_per_client", config.http.max_connections_per_client},
                   {"idle_timeout", duration(config.http.idle_timeout)}};
  if (config.http.public_url) http.insert("public_url", *config.http.public_url);
  if (config.http.token_file) {
    http.insert("token_file", config.http.token_file->string());
    http.insert("token", config.http.token ? config.http.token->to_string() : "");
  }
  root.insert("http", std::move(http));

  const EmailSettings& email = config.email;
  toml::table mail{{"transport", std::string(to_string(email.transport))},
                   {"starttls", std::string(to_string(email.starttls))},
                   {"from", email.from},
                   {"maildir", email.maildir.string()},
                   {"max_connections", email.max_connections}};
  if (!email.url.empty()) mail.insert("url", email.url);
  if (email.username) mail.insert("username", *email.username);
  if (email.password_file) {
    mail.insert("password_file", email.password_file->string());
    mail.insert("password", email.password ? email.password->to_string() : "");
  }
  root.insert("email", std::move(mail));

  toml::array webhooks;
  for (const WebhookEndpoint& endpoint : config.webhooks) {
    webhooks.push_back(toml::table{{"name", endpoint.name},
                                   {"url", endpoint.url},
                                   {"secret_file", endpoint.secret_file.string()},
                                   {"signing_key", endpoint.signing_key.to_string()},
                                   {"format", endpoint.format}});
  }
  if (!webhooks.empty()) root.insert("webhook", std::move(webhooks));

  toml::array backoff;
  for (std::chrono::seconds wait : config.delivery.backoff) backoff.push_back(duration(wait));
  root.insert("delivery", toml::table{{"max_attempts", config.delivery.max_attempts},
                                      {"backoff", std::move(backoff)},
                                      {"timeout", duration(config.delivery.timeout)}});
  if (const std::optional<StoreSettings>& store = config.store) {
    toml::table table{{"url", store->url}, {"node", store->node}, {"lease", duration(store->lease)}};
    if (store->password_file) {
      table.insert("password_file", store->password_file->string());
      table.insert("password", store->password ? store->password->to_string() : "");
    }
    root.insert("store", std::move(table));
  }
  return out << root << "\n";
}

}  // namespace kutsu::config
