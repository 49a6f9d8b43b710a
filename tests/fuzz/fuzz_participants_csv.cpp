// libFuzzer target: bytes → agenda::parse_participants_csv (RFC 4180 with
// Kutsu's columns): every row either a participant or a diagnostic.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agenda/participants_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static_cast<void>(kutsu::agenda::parse_participants_csv(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv"));
  return 0;
}
