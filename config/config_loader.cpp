// load_config / parse_config: kutsu.toml → DaemonConfig. Defaults first, then
// each table read over them (detail/*_section.cpp), every problem collected.
#include <cstdlib>
#include <optional>

#include "base/input_file.h"
#include "base/toml_document.h"
#include "config/daemon_config.h"
#include "config/detail/load_context.h"

namespace kutsu::config {
namespace {

using namespace std::chrono_literals;

// The embedded defaults (interfaces.md); relative paths are resolved against
// the config's folder like those written in the file.
DaemonConfig defaults(const detail::LoadContext& context) {
  DaemonConfig config;
  config.daemon.series_dir = context.resolve("series");
  config.daemon.state_dir = context.resolve("var");
  config.daemon.misfire_grace = 15min;
  config.http.listen = ListenAddress{"127.0.0.1", 8470};
  config.email.transport = EmailTransport::maildir;
  config.email.starttls = StartTls::required;
  config.email.from = "Kutsu <kutsu@localhost>";
  config.email.maildir = context.resolve("var/maildir");
  config.email.max_connections = 8;
  config.delivery.max_attempts = 8;
  config.delivery.backoff = {30s, 2min, 10min, 30min, 1h};
  config.delivery.timeout = 30s;
  return config;
}

}  // namespace

ConfigEnvironment ConfigEnvironment::from_process() {
  ConfigEnvironment environment;
  // getenv is read once at start-up, before any thread could setenv.
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials != nullptr && *credentials != '\0')
    environment.credentials_directory = credentials;
  return environment;
}

ConfigLoad parse_config(std::string_view toml_text, const std::filesystem::path& file,
                        const ConfigEnvironment& environment) {
  DiagnosticSink sink(file.string());
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(file, error);
  if (error) absolute = file;
  detail::LoadContext context{
      sink, absolute.parent_path(), {absolute.parent_path(), environment.credentials_directory}};

  std::optional<toml::table> parsed = parse_toml_document(toml_text, sink);
  if (!parsed) return {std::nullopt, sink.take_sorted()};
  const toml::table& root = *parsed;

  DaemonConfig config = defaults(context);
  config.file = absolute;
  TomlTableReader top(root, sink);
  // One [section]: its keys read by `read`, then the ones nobody asked for
  // reported as unknown.
  auto section = [&](std::string_view name, const auto& read) {
    const std::string what = "a table ([" + std::string(name) + "])";
    if (const toml::table* table = top.table(name, Need::optional, what)) {
      TomlTableReader reader(*table, sink);
      read(reader);
      reader.finish(UnknownKeyHint::none);
    }
  };
  section("daemon", [&](TomlTableReader& reader) {
    detail::read_daemon_section(reader, context, config.daemon);
  });
  section("http", [&](TomlTableReader& reader) {
    detail::read_http_section(reader, context, config.http);
  });
  section("email", [&](TomlTableReader& reader) {
    detail::read_email_section(reader, context, config.email);
  });
  detail::read_webhook_sections(top.tables("webhook"), context, config.webhooks);
  section("delivery", [&](TomlTableReader& reader) {
    detail::read_delivery_section(reader, context, config.delivery);
  });
  section("store", [&](TomlTableReader& reader) {
    config.store.emplace();
    detail::read_store_section(reader, context, *config.store);
  });
  top.finish(UnknownKeyHint::none);

  if (!sink.empty()) return {std::nullopt, sink.take_sorted()};
  return {std::move(config), {}};
}

ConfigLoad load_config(const std::filesystem::path& file, const ConfigEnvironment& environment) {
  Result<std::string> text = read_input_file(file, kConfigFile);
  if (!text) return ConfigLoad{std::nullopt, {Diagnostic{file.string(), {}, text.error().message}}};
  return parse_config(*text, file, environment);
}

}  // namespace kutsu::config
