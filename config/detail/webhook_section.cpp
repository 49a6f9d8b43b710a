// The [[webhook]] tables: named endpoints that series files send to.
#include <map>

#include "config/detail/endpoint_url.h"
#include "config/detail/load_context.h"

namespace kutsu::config::detail {
namespace {

bool is_webhook_name(std::string_view name) {
  return !name.empty() && name.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                              std::string_view::npos;
}

}  // namespace

void read_webhook_sections(const std::vector<const toml::table*>& tables, LoadContext& context,
                           std::vector<WebhookEndpoint>& webhooks) {
  std::map<std::string, SourcePos, std::less<>> seen;  // name → where first defined
  for (const toml::table* webhook_table : tables) {
    TomlTableReader table(*webhook_table, context.sink);
    WebhookEndpoint endpoint;
    bool ok = true;

    std::optional<Located<std::string>> name = table.string("name");
    if (!name) {
      if (!table.find("name")) table.missing("name");
      ok = false;
    } else if (!is_webhook_name(name->value)) {
      context.sink.error(name->pos, "webhook name '" + name->value +
                                        "' may use only letters, digits, '-' and '_'");
      ok = false;
    } else if (auto first = seen.find(name->value); first != seen.end()) {
      context.sink.error(name->pos, "duplicate webhook name '" + name->value +
                                        "' (first defined on line " +
                                        std::to_string(first->second.line) + ")");
      ok = false;
    } else {
      seen.emplace(name->value, name->pos);
      endpoint.name = name->value;
    }

    if (auto url = table.string("url")) {
      Result<EndpointUrl> parsed = EndpointUrl::parse(url->value);
      if (!parsed) {
        context.sink.error(url->pos, "'url': " + parsed.error().message);
        ok = false;
      } else if (parsed->scheme != "https" && !(parsed->scheme == "http" && parsed->loopback)) {
        context.sink.error(url->pos,
                           "'url' must start with https:// (http:// only for a "
                           "loopback host), not " +
                               parsed->scheme + "://" + parsed->host);
        ok = false;
      } else {
        endpoint.url = url->value;
      }
    } else {
      if (!table.find("url")) table.missing("url");
      ok = false;
    }

    const toml::node* secret_node = table.find("secret_file");
    if (auto secret = context.secret_file(table, "secret_file")) {
      Result<Secret> key = decode_webhook_secret(secret->secret, secret->path);
      if (key) {
        endpoint.secret_file = secret->path;
        endpoint.signing_key = std::move(key).value();
      } else {
        context.sink.error(position_of(*secret_node), "'secret_file': " + key.error().message);
        ok = false;
      }
    } else {
      if (!secret_node) table.missing("secret_file");
      ok = false;
    }

    endpoint.format = "json";
    if (auto format = table.string("format")) {
      if (format->value != "json") {
        context.sink.error(format->pos, "'format' must be json, not '" + format->value + "'");
        ok = false;
      }
    }
    table.finish(UnknownKeyHint::none);
    if (ok) webhooks.push_back(std::move(endpoint));
  }
}

}  // namespace kutsu::config::detail
