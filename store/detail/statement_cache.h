// StatementCache: compiled statements of one connection kept for their next
// use. The dispatcher claims and records results many times a second with
// the same few statements, and compiling each anew (sqlite3_prepare_v2) was
// an eighth of the instructions of a webhook burst.
//
// A statement is handed out whole (take) and comes back when its Statement
// is done with it (give_back): reset, its parameters cleared, so a cached
// statement holds no lock and no value. Keyed by its SQL text; bounded, so
// that statements built from data (a hold list) cannot grow it without end.
// Belongs to one connection and its thread, like the Database; must be
// destroyed before the connection closes.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kutsu::store::detail {

class StatementCache {
 public:
  StatementCache() = default;
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The idle statement compiled from exactly `sql`, now the caller's; null
  // when there is none.
  sqlite3_stmt* take(std::string_view sql);
  // A statement taken or newly compiled, back for reuse (or finalized when
  // one for its SQL is idle already or the cache is full).
  void give_back(sqlite3_stmt* statement);

  std::size_t size() const { return idle_.size(); }
  static constexpr std::size_t kCapacity = 64;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> idle_;
};

}  // namespace kutsu::store::detail
