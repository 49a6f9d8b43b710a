#include "base/toml_document.h"

#include <string>
#include <vector>

#include "base/toml_source.h"

namespace kutsu {
namespace {

// Line and column (in characters, as toml++ counts them) of byte `offset`.
SourcePos position_at(std::string_view text, std::size_t offset) {
  SourcePos pos{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++pos.column;  // UTF-8 continuation bytes do not start a character
    }
  }
  return pos;
}

std::optional<TomlBoundsProblem> check_line_lengths(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > kMaxTomlLineBytes) {
      return TomlBoundsProblem{
          position_at(text, start),
          "this line is " + std::to_string(end - start) + " bytes long; a line may be at most " +
              std::to_string(kMaxTomlLineBytes) + " bytes (break long texts into a \"\"\" string)"};
    }
    start = end + 1;
  }
  return std::nullopt;
}

// Walks TOML's structure just far enough to know where keys are: strings and
// comments are skipped whole, brackets are tracked, and a key runs from its
// first character to its '=' (or to the ']' of a table header).
class KeyScanner {
 public:
  explicit KeyScanner(std::string_view text) : text_(text) {}

  std::optional<TomlBoundsProblem> scan() {
    while (at_ < text_.size() && !problem_) {
      const char c = text_[at_];
      if (c == '\n') {
        if (levels_.empty()) expect_key();
        ++at_;
      } else if (c == '#') {
        skip_comment();
      } else if (c == '"' || c == '\'') {
        if (expecting_key_) begin_key_part();
        skip_string(c);
      } else if (expecting_key_) {
        key_character(c);
      } else {
        value_character(c);
      }
    }
    return std::move(problem_);
  }

 private:
  void expect_key() {
    expecting_key_ = true;
    in_key_ = false;
    in_header_ = false;
  }

  void begin_key_part() {
    if (in_key_) return;
    in_key_ = true;
    key_start_ = at_;
    key_parts_ = 1;
  }

  void key_character(char c) {
    if (c == ' ' || c == '\t' || c == '\r') {
      ++at_;
      return;
    }
    if (c == '[' && !in_key_ && !in_header_ && levels_.empty()) {
      // A table header: [table] or [[array of tables]].
      in_header_ = true;
      at_ += text_.substr(at_).starts_with("[[") ? 2 : 1;
      return;
    }
    if (c == '.') {
      if (!in_key_) begin_key_part();
      if (++key_parts_ > kMaxTomlKeyParts) {
        fail(key_start_, "this key has more than " + std::to_string(kMaxTomlKeyParts) +
                             " dotted parts; a key may have at most " +
                             std::to_string(kMaxTomlKeyParts));
      }
      ++at_;
      return;
    }
    if (c == ']' && in_header_) {
      // The rest of the line can only be a comment; nothing to count there.
      expecting_key_ = false;
      in_key_ = false;
      in_header_ = false;
      ++at_;
      return;
    }
    if (c == '=' && !in_header_) {
      expecting_key_ = false;
      in_key_ = false;
      ++at_;
      return;
    }
    if (c == '}' && !levels_.empty() && levels_.back() == '{') {
      // An empty inline table, or one closed right after a comma.
      close_level();
      return;
    }
    begin_key_part();
    ++at_;
  }

  void value_character(char c) {
    if (c == '[' || c == '{') {
      levels_.push_back(c);
      if (levels_.size() > kMaxTomlNesting) {
        fail(at_, "arrays and inline tables nest more than " + std::to_string(kMaxTomlNesting) +
                      " deep here; they may nest at most " + std::to_string(kMaxTomlNesting));
        return;
      }
      if (c == '{') {
        expecting_key_ = true;
        in_key_ = false;
      }
      ++at_;
      return;
    }
    if ((c == ']' || c == '}') && !levels_.empty()) {
      close_level();
      return;
    }
    if (c == ',' && !levels_.empty() && levels_.back() == '{') {
      expecting_key_ = true;
      in_key_ = false;
    }
    ++at_;
  }

  void close_level() {
    levels_.pop_back();
    expecting_key_ = false;
    in_key_ = false;
    ++at_;
  }

  void skip_comment() {
    const std::size_t end = text_.find('\n', at_);
    at_ = end == std::string_view::npos ? text_.size() : end;
  }

  // Past the string that starts at at_; an unterminated one runs to the end
  // of its line (or of the text, for a multi-line string), where toml++
  // will report it.
  void skip_string(char quote) {
    const std::string triple(3, quote);
    const bool escapes = quote == '"';
    if (text_.substr(at_).starts_with(triple)) {
      at_ += 3;
      while (at_ < text_.size()) {
        if (escapes && text_[at_] == '\\') {
          at_ += 2;
        } else if (text_.substr(at_).starts_with(triple)) {
          at_ += 3;
          // Up to two quotes may stand right before the closing delimiter.
          for (int i = 0; i < 2 && at_ < text_.size() && text_[at_] == quote; ++i) ++at_;
          return;
        } else {
          ++at_;
        }
      }
      return;
    }
    ++at_;
    while (at_ < text_.size() && text_[at_] != '\n') {
      if (escapes && text_[at_] == '\\') {
        at_ += 2;
      } else if (text_[at_] == quote) {
        ++at_;
        return;
      } else {
        ++at_;
      }
    }
  }

  void fail(std::size_t offset, std::string message) {
    problem_ = TomlBoundsProblem{position_at(text_, offset), std::move(message)};
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::vector<char> levels_;  // '[' or '{' for each open array or inline table
  bool expecting_key_ = true;
  bool in_key_ = false;
  bool in_header_ = false;
  std::size_t key_start_ = 0;
  std::size_t key_parts_ = 0;
  std::optional<TomlBoundsProblem> problem_;
};

}  // namespace

std::optional<TomlBoundsProblem> check_toml_bounds(std::string_view text) {
  // Keys first: a key too long for one line is better named as a key.
  if (auto problem = KeyScanner(text).scan()) return problem;
  return check_line_lengths(text);
}

std::optional<toml::table> parse_toml_document(std::string_view text, DiagnosticSink& sink) {
  if (std::optional<TomlBoundsProblem> problem = check_toml_bounds(text)) {
    sink.error(problem->pos, std::move(problem->message));
    return std::nullopt;
  }
  try {
    return toml::parse(text, std::string_view(sink.file()));
  } catch (const toml::parse_error& error) {
    sink.error(position_of(error.source()), std::string(error.description()));
    return std::nullopt;
  }
}

}  // namespace kutsu
