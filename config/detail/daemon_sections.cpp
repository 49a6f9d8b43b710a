// The [daemon], [http] and [delivery] tables of kutsu.toml.
#include "config/detail/load_context.h"

namespace kutsu::config::detail {

void read_daemon_section(TomlTableReader& table, LoadContext& context, DaemonSettings& daemon) {
  if (auto path = context.path(table, "series_dir")) daemon.series_dir = *path;
  if (auto path = context.path(table, "state_dir")) daemon.state_dir = *path;
  if (auto text = table.string("misfire_grace")) {
    if (auto grace = context.duration(*text, "misfire_grace", false)) daemon.misfire_grace = *grace;
  }
}

void read_http_section(TomlTableReader& table, LoadContext& context, HttpSettings& http) {
  if (auto text = table.string("listen")) {
    Result<ListenAddress> listen = ListenAddress::parse(text->value);
    if (listen) {
      http.listen = *listen;
    } else {
      context.sink.error(text->pos, listen.error().message);
    }
  }
  if (auto token = context.secret_file(table, "token_file")) {
    http.token_file = token->path;
    http.token = std::move(token->secret);
  }
}

void read_delivery_section(TomlTableReader& table, LoadContext& context,
                           DeliverySettings& delivery) {
  if (auto attempts = table.integer("max_attempts")) {
    if (attempts->value < 1 || attempts->value > 1000) {
      context.sink.error(attempts->pos, "'max_attempts' must be from 1 to 1000, not " +
                                            std::to_string(attempts->value));
    } else {
      delivery.max_attempts = static_cast<int>(attempts->value);
    }
  }
  if (auto list = table.strings("backoff")) {
    if (list->empty()) {
      context.sink.error(position_of(*table.find("backoff")),
                         "'backoff' must list at least one duration");
    }
    std::vector<std::chrono::seconds> backoff;
    for (const Located<std::string>& item : *list) {
      if (auto wait = context.duration(item, "backoff", true)) backoff.push_back(*wait);
    }
    if (!list->empty() && backoff.size() == list->size()) delivery.backoff = std::move(backoff);
  }
  if (auto text = table.string("timeout")) {
    if (auto timeout = context.duration(*text, "timeout", true)) delivery.timeout = *timeout;
  }
}

}  // namespace kutsu::config::detail
