// libFuzzer target: bytes → config::parse_config (kutsu.toml). Secret files
// it names resolve under a folder that does not exist, so every run reads
// nothing from disk and is repeatable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/daemon_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static_cast<void>(kutsu::config::parse_config(
      std::string_view(reinterpret_cast<const char*>(data), size),
      "/nonexistent/kutsu-fuzz/kutsu.toml", kutsu::config::ConfigEnvironment{}));
  return 0;
}
