// Paragraphs: lines of an announcement grouped at blank lines, as the
// organiser wrote them (a paragraph keeps its own line breaks), for the
// series and session descriptions of the announcement importer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kutsu::importer::detail {

class Paragraphs {
 public:
  void add_line(std::string_view line) {
    if (!open_) list_.emplace_back();
    std::string& last = list_.back();
    if (!last.empty()) last += '\n';
    last += line;
    open_ = true;
  }
  void end_paragraph() { open_ = false; }
  bool empty() const { return list_.empty(); }
  const std::vector<std::string>& list() const { return list_; }
  std::vector<std::string>& list() { return list_; }

 private:
  std::vector<std::string> list_;
  bool open_ = false;
};

// The paragraphs from `from` on, one blank line between them.
inline std::string joined(const std::vector<std::string>& paragraphs, std::size_t from = 0) {
  std::string text;
  for (std::size_t i = from; i < paragraphs.size(); ++i) {
    if (!text.empty()) text += "\n\n";
    text += paragraphs[i];
  }
  return text;
}

}  // namespace kutsu::importer::detail
