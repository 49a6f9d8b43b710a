// PageCursor: where a listing stopped — the (due, id) of the last row shown.
//
// Rows are listed in (due, id) order, which is total because ids are unique,
// so "everything after (due, id)" never repeats or skips a row, however many
// rows were inserted meanwhile. Clients see the cursor as an opaque token (48
// hex digits) and must not build one themselves.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kutsu::store::detail {

struct PageCursor {
  std::chrono::sys_seconds due;
  std::string id;

  std::string encode() const;
  // None for anything encode() could not have produced.
  static std::optional<PageCursor> decode(std::string_view token);
};

}  // namespace kutsu::store::detail
