// PgRows: what a PostgreSQL statement returned, in libpq's text format —
// the column names, every row's values as text (nullopt for NULL), and how
// many rows the command touched. A plain value: copy or move it anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kutsu::store::pg {

struct PgRows {
  using Value = std::optional<std::string>;

  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  // Rows an INSERT, UPDATE, DELETE, MERGE, SELECT or COPY affected (libpq's
  // PQcmdTuples); 0 for other commands.
  std::int64_t affected = 0;
  std::string command;  // the command tag, e.g. "INSERT 0 1"

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  // Precondition: row < size(), column < columns.size().
  const Value& at(std::size_t row, std::size_t column) const { return rows[row][column]; }
};

}  // namespace kutsu::store::pg
