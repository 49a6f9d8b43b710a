// guarded(): the one place where the store's internal SqliteError becomes the
// Error that crosses the module boundary, prefixed with what was being done
// ("claim_due: database is locked"). Expected refusals that a body returns
// itself ("notification … is pending; only failed or missed …") are already
// sentences for the admin API's user and pass through unchanged.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "base/result.h"
#include "store/detail/database.h"

namespace kutsu::store::detail {

// Runs `body` (which returns a Result<T> or Status) and turns an SqliteError
// it throws into an Error of the same Result type.
template <typename Body>
auto guarded(std::string_view what, Body&& body) -> std::invoke_result_t<Body> {
  try {
    return body();
  } catch (const SqliteError& error) {
    return Error{std::string(what) + ": " + error.what()};
  }
}

}  // namespace kutsu::store::detail
