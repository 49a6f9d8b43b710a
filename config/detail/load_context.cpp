#include "config/detail/load_context.h"

#include "config/exact_duration.h"

namespace kutsu::config::detail {

std::filesystem::path LoadContext::resolve(const std::filesystem::path& path) const {
  return (config_dir / path).lexically_normal();  // an absolute `path` replaces config_dir
}

std::optional<std::filesystem::path> LoadContext::path(TomlTableReader& table,
                                                       std::string_view key) {
  std::optional<Located<std::string>> text = table.string(key);
  if (!text) return std::nullopt;
  if (text->value.empty()) {
    sink.error(text->pos, "'" + std::string(key) + "' must not be empty");
    return std::nullopt;
  }
  return resolve(text->value);
}

std::optional<std::chrono::seconds> LoadContext::duration(const Located<std::string>& text,
                                                          std::string_view key, bool positive) {
  Result<std::chrono::seconds> parsed = parse_exact_duration(text.value);
  if (!parsed) {
    sink.error(text.pos, "'" + std::string(key) + "': " + parsed.error().message);
    return std::nullopt;
  }
  if (positive && parsed->count() == 0) {
    sink.error(text.pos, "'" + std::string(key) + "' must be longer than zero");
    return std::nullopt;
  }
  return *parsed;
}

std::optional<LoadContext::SecretFile> LoadContext::secret_file(TomlTableReader& table,
                                                                std::string_view key) {
  std::optional<Located<std::string>> text = table.string(key);
  if (!text) return std::nullopt;
  if (text->value.empty()) {
    sink.error(text->pos, "'" + std::string(key) + "' must not be empty");
    return std::nullopt;
  }
  std::filesystem::path path = resolve_secret_path(text->value, secrets).lexically_normal();
  Result<Secret> secret = read_secret_file(path);
  if (!secret) {
    sink.error(text->pos, "'" + std::string(key) + "': " + secret.error().message);
    return std::nullopt;
  }
  return SecretFile{std::move(path), std::move(secret).value()};
}

}  // namespace kutsu::config::detail
