#include "store/detail/statement_cache.h"

namespace kutsu::store::detail {

StatementCache::~StatementCache() {
  // sqlite3_finalize only repeats the last step's error, reported then.
  for (auto& [sql, statement] : idle_) static_cast<void>(sqlite3_finalize(statement));
}

sqlite3_stmt* StatementCache::take(std::string_view sql) {
  auto found = idle_.find(sql);
  if (found == idle_.end()) return nullptr;
  sqlite3_stmt* statement = found->second;
  idle_.erase(found);
  return statement;
}

void StatementCache::give_back(sqlite3_stmt* statement) {
  // sqlite3_reset repeats the last step's error (reported then); afterwards
  // the statement is ready whatever it returns. clear_bindings cannot fail.
  static_cast<void>(sqlite3_reset(statement));
  static_cast<void>(sqlite3_clear_bindings(statement));
  const char* sql = sqlite3_sql(statement);
  if (sql == nullptr || idle_.size() >= kCapacity || idle_.contains(std::string_view(sql))) {
    static_cast<void>(sqlite3_finalize(statement));
    return;
  }
  idle_.emplace(sql, statement);
}

}  // namespace kutsu::store::detail
