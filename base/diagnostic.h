// Diagnostic: one problem found in a user's file, with the place to point at.
// Validation never stops at the first problem: functions that check files
// return every Diagnostic they found, and the caller prints them all in the
// compiler-style form `FILE:LINE:COLUMN: error: MESSAGE` that editors jump to.
#pragma once

#include <string>
#include <vector>

namespace kutsu {

// A place in a text file. Lines and columns count from 1; 0 means unknown
// (a CSV problem has a line but no column; a missing file has neither).
struct SourcePos {
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  std::string file;
  SourcePos pos;
  std::string message;

  // "FILE:LINE:COLUMN: error: MESSAGE", dropping the parts that are 0.
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace kutsu
