#include "store/detail/opt_out_key.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace kutsu::store::detail {

Result<std::string> fresh_opt_out_key() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error{std::string("getrandom: ") + std::strerror(errno)};
    }
    filled += static_cast<std::size_t>(got);
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string key;
  for (unsigned char byte : bytes) {
    key.push_back(kDigits[byte >> 4]);
    key.push_back(kDigits[byte & 0xf]);
  }
  return key;
}

}  // namespace kutsu::store::detail
