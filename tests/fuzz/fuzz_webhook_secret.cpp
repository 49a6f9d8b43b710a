// libFuzzer target: the text of a webhook secret file → the Standard
// Webhooks key ("whsec_" + strict base64), as config reads it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/detail/secret_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const kutsu::config::Secret secret(std::string(reinterpret_cast<const char*>(data), size));
  static_cast<void>(kutsu::config::detail::decode_webhook_secret(secret, "fuzz.secret"));
  return 0;
}
