#include "agenda/detail/csv_reader.h"

#include <algorithm>
#include <cstdint>

namespace kutsu::agenda::detail {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Walks the text once; `line` follows every line break, inside quotes too.
class CsvScanner {
 public:
  explicit CsvScanner(std::string_view text) : text_(text) {
    if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      pos_ = kByteOrderMark.size();
    }
  }

  CsvContent scan() {
    while (pos_ < text_.size()) read_record();
    return std::move(content_);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  bool at_line_break() const { return !at_end() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }
  bool at_field_end() const { return at_end() || text_[pos_] == ',' || at_line_break(); }

  // Consumes one line break (CRLF, LF or a lone CR), counting the line.
  void skip_line_break() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void problem(int line, std::string message) {
    content_.problems.push_back({line, std::move(message)});
  }

  void read_record() {
    CsvRecord record{line_, {}};
    bool bad = false;
    bool first_quoted = false;
    while (true) {
      bool quoted = !at_end() && text_[pos_] == '"';
      if (record.fields.empty()) first_quoted = quoted;
      std::string field;
      if (quoted ? !read_quoted(field) : !read_plain(field)) bad = true;
      record.fields.push_back(std::move(field));
      if (!at_end() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (!at_end()) skip_line_break();
      break;
    }
    bool blank = record.fields.size() == 1 && record.fields[0].empty() && !first_quoted;
    if (bad || blank) return;
    bool utf8 = std::all_of(record.fields.begin(), record.fields.end(),
                            [](const std::string& field) { return is_valid_utf8(field); });
    if (!utf8) {
      problem(record.line, "record is not valid UTF-8 (save the file as UTF-8)");
      return;
    }
    content_.records.push_back(std::move(record));
  }

  // An unquoted field runs to the next comma or line break; a quote in it is
  // an error (RFC 4180 requires such a field to be quoted).
  bool read_plain(std::string& field) {
    std::size_t begin = pos_;
    while (!at_field_end()) ++pos_;
    field.assign(text_.substr(begin, pos_ - begin));
    if (field.find('"') != std::string::npos) {
      problem(line_,
              "a quote inside an unquoted field: quote the whole field and double the "
              "quote (\"\")");
      return false;
    }
    return true;
  }

  bool read_quoted(std::string& field) {
    int opening_line = line_;
    ++pos_;  // opening quote
    while (true) {
      if (at_end()) {
        problem(opening_line, "a quoted field is never closed");
        return false;
      }
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\n' || (c == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] != '\n'))) {
        ++line_;
      }
      field += c;
      ++pos_;
    }
    if (at_field_end()) return true;
    problem(line_, "unexpected text after a closing quote");
    while (!at_field_end()) ++pos_;
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  CsvContent content_;
};

}  // namespace

CsvContent read_csv(std::string_view text) { return CsvScanner(text).scan(); }

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code = length == 1 ? byte : byte & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace kutsu::agenda::detail
