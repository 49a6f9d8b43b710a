// DiagnosticSink: the problems found in one file, collected while parsing so
// that every one of them is reported, not only the first. Readers report in
// whatever order they visit the file (toml++ iterates tables by key, not by
// line); take_sorted() hands them back in file order. Shared by the series
// parser (agenda/) and the daemon config loader (config/).
#pragma once

#include <algorithm>
#include <string>
#include <utility>

#include "base/diagnostic.h"

namespace kutsu {

class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  void error(SourcePos pos, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, pos, std::move(message)});
  }

  bool empty() const { return diagnostics_.empty(); }
  std::size_t size() const { return diagnostics_.size(); }
  const std::string& file() const { return file_; }

  // By line, then column; problems at the same place keep their order.
  Diagnostics take_sorted() {
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
                       return a.pos.column < b.pos.column;
                     });
    return std::move(diagnostics_);
  }

 private:
  std::string file_;
  Diagnostics diagnostics_;
};

}  // namespace kutsu
