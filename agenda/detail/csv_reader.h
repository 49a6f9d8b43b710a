// RFC 4180 records from CSV text: fields separated by commas, records by CRLF
// or LF; a field in double quotes may hold commas, line breaks and doubled
// quotes (""). A UTF-8 byte order mark at the start is skipped.
//
// Each record keeps the line it starts on (a quoted line break makes a record
// span lines, so record number and line number differ). Malformed records are
// reported with the line of the problem and left out; blank lines are
// skipped. Every field of a returned record is valid UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kutsu::agenda::detail {

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

struct CsvProblem {
  int line = 0;
  std::string message;
};

struct CsvContent {
  std::vector<CsvRecord> records;
  std::vector<CsvProblem> problems;
};

CsvContent read_csv(std::string_view text);

bool is_valid_utf8(std::string_view text);

}  // namespace kutsu::agenda::detail
