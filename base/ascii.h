// ASCII case folding, for what compares without regard to case by
// definition (e-mail domains, and the mailbox part as nearly every server
// treats it); letters outside ASCII are left as they are.
#pragma once

#include <string>
#include <string_view>

namespace kutsu {

inline std::string ascii_lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace kutsu
