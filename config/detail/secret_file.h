// Reading secrets from files: where the file is, what it must hold.
//
// Messages name the file and the reason, never the content, so that a
// diagnostic about a secret is safe to log.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "config/secret.h"

namespace kutsu::config::detail {

// Where relative secret paths are looked up.
struct SecretLookup {
  std::filesystem::path config_dir;  // the folder of kutsu.toml
  // $CREDENTIALS_DIRECTORY (systemd LoadCredential=), tried first when set.
  std::optional<std::filesystem::path> credentials_dir;
};

// An absolute path is taken as written. A relative one (a bare name too) is
// looked for in credentials_dir first, then resolved against config_dir.
std::filesystem::path resolve_secret_path(std::string_view written, const SecretLookup& lookup);

// config::read_secret_file (secret.h).
Result<Secret> read_secret_file(const std::filesystem::path& path);

// A Standard Webhooks secret "whsec_<base64>" → the raw signing key. Anything
// else is an error naming `path`.
Result<Secret> decode_webhook_secret(const Secret& secret, const std::filesystem::path& path);

}  // namespace kutsu::config::detail
