// Shared pieces of the config tests: a temporary folder holding kutsu.toml and
// its secret files, and loading with a chosen $CREDENTIALS_DIRECTORY.
#pragma once

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "config/daemon_config.h"

namespace kutsu::config::testing {

// A well-formed Standard Webhooks secret and the key it decodes to.
inline constexpr std::string_view kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
inline constexpr std::string_view kWebhookKeyBase64 = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class ConfigDir {
 public:
  ConfigDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kutsu-config-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ConfigDir() {
    std::error_code ignored;  // best effort: a leftover temp folder fails nothing
    std::filesystem::remove_all(path_, ignored);
  }
  ConfigDir(const ConfigDir&) = delete;
  ConfigDir& operator=(const ConfigDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path config_file() const { return path_ / "kutsu.toml"; }

  // Writes `content` to `name` (relative to the folder), creating folders.
  std::filesystem::path write(const std::filesystem::path& name, std::string_view content) const {
    std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

  // Writes kutsu.toml and loads it.
  ConfigLoad load(std::string_view toml,
                  std::optional<std::filesystem::path> credentials = {}) const {
    write("kutsu.toml", toml);
    return load_config(config_file(), ConfigEnvironment{std::move(credentials)});
  }

 private:
  std::filesystem::path path_;
};

// All diagnostics as printed, one per line, for comparing in one go.
inline std::string printed(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

}  // namespace kutsu::config::testing
