// The id pattern shared by series and sessions, [a-z0-9][a-z0-9-]{0,63}:
// ids become parts of notification ids, iCalendar UIDs and URLs, so they are
// kept to characters that need no escaping anywhere.
#pragma once

#include <string>
#include <string_view>

#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {

inline bool is_valid_id(std::string_view id) {
  auto allowed = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && c == '-');
  };
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (!allowed(id[i], i == 0)) return false;
  }
  return true;
}

// Reports a bad id at its value; returns whether it was good.
inline bool check_id(const Located<std::string>& id, DiagnosticSink& sink) {
  if (is_valid_id(id.value)) return true;
  sink.error(id.pos, "id '" + id.value +
                         "' must be 1 to 64 characters of a-z, 0-9 and '-', not starting with '-'");
  return false;
}

}  // namespace kutsu::agenda::detail
