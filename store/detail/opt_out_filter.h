// OptOutFilter: which planned rows the opt-outs of one series leave out of
// a plan (Outbox::apply_plan, and PgOutbox's apply, so both stores leave out
// the same rows). Read from the outbox at the start of every transaction of
// an apply, so an opt-out committed between two of them is honoured by the
// next; empty for a series nobody left, which costs one query and nothing
// per row.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/rows.h"

namespace kutsu::store::detail {

class Database;

class OptOutFilter {
 public:
  // Replaces the opt-outs with the series' ones in SQLite.
  void read(Database& db, std::string_view series_id);
  // For another store: forget all, then add each stored opt-out (the
  // address as stored, already lowercased).
  void clear() { scopes_.clear(); }
  void add(std::string recipient, OptOutScope scope) { scopes_[std::move(recipient)] = scope; }
  bool empty() const { return scopes_.empty(); }
  // Whether a row of this kind, channel and recipient is left out.
  bool excludes(std::string_view kind, std::string_view channel, std::string_view recipient) const;

 private:
  std::unordered_map<std::string, OptOutScope> scopes_;  // by lowercased address
};

}  // namespace kutsu::store::detail
