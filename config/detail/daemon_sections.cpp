// The [daemon], [http] and [delivery] tables of kutsu.toml.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "config/detail/endpoint_url.h"
#include "config/detail/load_context.h"

namespace kutsu::config::detail {

void read_daemon_section(TomlTableReader& table, LoadContext& context, DaemonSettings& daemon) {
  if (auto path = context.path(table, "series_dir")) daemon.series_dir = *path;
  if (auto path = context.path(table, "state_dir")) daemon.state_dir = *path;
  if (auto text = table.string("misfire_grace")) {
    if (auto grace = context.duration(*text, "misfire_grace", false)) daemon.misfire_grace = *grace;
  }
  if (auto text = table.string("cancel_delay")) {
    if (auto delay = context.duration(*text, "cancel_delay", false)) daemon.cancel_delay = *delay;
  }
  if (auto text = table.string("plan_horizon")) {
    // Whole days from 1 to ten years: recurring sessions are planned by
    // date, and a longer horizon only makes every reload larger.
    constexpr std::int64_t kMostDays = 3660;
    if (auto horizon = context.duration(*text, "plan_horizon", true)) {
      const std::int64_t seconds = horizon->count();
      if (seconds % 86'400 != 0 || seconds / 86'400 > kMostDays) {
        context.sink.error(text->pos, "'plan_horizon' must be whole days from P1D to P" +
                                          std::to_string(kMostDays) + "D, not '" + text->value +
                                          "'");
      } else {
        daemon.plan_horizon = std::chrono::days{seconds / 86'400};
      }
    }
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
  if (auto url = table.string("public_url")) {
    Result<EndpointUrl> parsed = EndpointUrl::parse(url->value);
    if (!parsed) {
      context.sink.error(url->pos, "'public_url': " + parsed.error().message);
    } else if (parsed->scheme != "https" && !(parsed->scheme == "http" && parsed->loopback)) {
      // RFC 8058: mail providers make one-click requests to https only.
      context.sink.error(url->pos, "'public_url' must start with https:// (http:// only for a "
                                   "loopback host), not " + parsed->scheme + "://" + parsed->host);
    } else if (url->value.find_first_of("?#") != std::string::npos) {
      context.sink.error(url->pos, "'public_url' must not have a query or fragment: links are "
                                   "made by adding /u/… and /calendar to it");
    } else {
      std::string base = url->value;
      while (base.ends_with('/')) base.pop_back();
      http.public_url = std::move(base);
    }
  }
  // Beyond this a count is a typo rather than a plan (each connection is a
  // file descriptor).
  constexpr std::int64_t kMostConnections = 65'536;
  auto count = [&](std::string_view key) -> std::optional<Located<std::int64_t>> {
    std::optional<Located<std::int64_t>> value = table.integer(key);
    if (value && (value->value < 1 || value->value > kMostConnections)) {
      context.sink.error(value->pos, "'" + std::string(key) + "' must be from 1 to " +
                                         std::to_string(kMostConnections) + ", not " +
                                         std::to_string(value->value));
      return std::nullopt;
    }
    return value;
  };
  std::optional<Located<std::int64_t>> total = count("max_connections");
  std::optional<Located<std::int64_t>> per_client = count("max_connections_per_client");
  if (total) http.max_connections = static_cast<int>(total->value);
  if (per_client) {
    if (per_client->value > http.max_connections) {
      context.sink.error(per_client->pos, "'max_connections_per_client' (" +
                                              std::to_string(per_client->value) +
                                              ") must not exceed 'max_connections' (" +
                                              std::to_string(http.max_connections) + ")");
    } else {
      http.max_connections_per_client = static_cast<int>(per_client->value);
    }
  } else {
    // Only the default gives way to a smaller total: a value written in the
    // file is never changed silently.
    http.max_connections_per_client =
        std::min(http.max_connections_per_client, http.max_connections);
  }
  if (auto text = table.string("idle_timeout")) {
    // An hour is already far beyond any client's own keep-alive; longer
    // would only hold descriptors (and overflow the timers at the extreme).
    constexpr std::chrono::seconds kLongestIdle{3600};
    if (auto idle = context.duration(*text, "idle_timeout", true)) {
      if (*idle > kLongestIdle) {
        context.sink.error(text->pos, "'idle_timeout' must be at most PT1H, not " + text->value);
      } else {
        http.idle_timeout = *idle;
      }
    }
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
