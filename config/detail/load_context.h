// LoadContext: what every section reader of kutsu.toml shares — the sink for
// problems, the folder relative paths resolve against, where secrets are
// looked up — and the checks they have in common (paths, durations, secrets).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

#include "base/toml_table_reader.h"
#include "config/daemon_config.h"
#include "config/detail/secret_file.h"

namespace kutsu::config::detail {

struct LoadContext {
  DiagnosticSink& sink;
  std::filesystem::path config_dir;  // absolute
  SecretLookup secrets;

  // A non-empty path, made absolute against config_dir.
  std::optional<std::filesystem::path> path(TomlTableReader& table, std::string_view key);
  std::filesystem::path resolve(const std::filesystem::path& path) const;
  // An exact ISO duration; `positive` refuses PT0S.
  std::optional<std::chrono::seconds> duration(const Located<std::string>& text,
                                               std::string_view key, bool positive);
  // Reads the secret file named under `key`; problems are reported at the value.
  struct SecretFile {
    std::filesystem::path path;
    Secret secret;
  };
  std::optional<SecretFile> secret_file(TomlTableReader& table, std::string_view key);
};

// The section readers; each fills its part of `config` from its table,
// reporting problems, and leaves defaults where nothing valid is given.
void read_daemon_section(TomlTableReader& table, LoadContext& context, DaemonSettings& daemon);
void read_http_section(TomlTableReader& table, LoadContext& context, HttpSettings& http);
void read_email_section(TomlTableReader& table, LoadContext& context, EmailSettings& email);
void read_webhook_sections(const std::vector<const toml::table*>& tables, LoadContext& context,
                           std::vector<WebhookEndpoint>& webhooks);
void read_delivery_section(TomlTableReader& table, LoadContext& context,
                           DeliverySettings& delivery);
void read_store_section(TomlTableReader& table, LoadContext& context, StoreSettings& store);

}  // namespace kutsu::config::detail
