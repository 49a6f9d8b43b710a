// OptOutFilter: which planned rows the opt-outs of one series leave out of
// a plan (Outbox::apply_plan). Read from the outbox at the start of every
// transaction of an apply, so an opt-out committed between two of them is
// honoured by the next; empty for a series nobody left, which costs one
// query and nothing per row.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "store/rows.h"

namespace kutsu::store::detail {

class Database;

class OptOutFilter {
 public:
  void read(Database& db, std::string_view series_id);
  bool empty() const { return scopes_.empty(); }
  // Whether a row of this kind, channel and recipient is left out.
  bool excludes(std::string_view kind, std::string_view channel, std::string_view recipient) const;

 private:
  std::unordered_map<std::string, OptOutScope> scopes_;  // by lowercased address
};

}  // namespace kutsu::store::detail
