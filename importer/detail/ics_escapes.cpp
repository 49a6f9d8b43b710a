#include "importer/detail/ics_escapes.h"

#include <array>
#include <cstddef>

namespace kutsu::importer::detail {
namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool is_text_property(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kText{"SUMMARY",  "DESCRIPTION", "LOCATION",
                                                         "COMMENT",  "CONTACT",     "NAME",
                                                         "CATEGORIES", "RESOURCES", "UID"};
  if (name.starts_with("X-")) return true;
  for (std::string_view text : kText) {
    if (name == text) return true;
  }
  return false;
}

bool is_rfc_escape(char c) { return c == '\\' || c == ';' || c == ',' || c == 'n' || c == 'N'; }

// The length of the line break at `at` ("\r\n", "\n" or "\r"), else 0.
std::size_t line_break_at(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  if (text[at] == '\r') return at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
  return text[at] == '\n' ? 1 : 0;
}

// The length of the fold at `at` (a line break and one space or tab), else 0.
std::size_t fold_at(std::string_view text, std::size_t at) {
  const std::size_t line_break = line_break_at(text, at);
  if (line_break == 0 || at + line_break >= text.size()) return 0;
  const char next = text[at + line_break];
  return next == ' ' || next == '\t' ? line_break + 1 : 0;
}

}  // namespace

std::string with_rfc_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 64);
  std::string name;
  bool in_name = true;
  bool in_quotes = false;
  bool in_text_value = false;
  bool in_value = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t fold = fold_at(text, i)) {
      out.append(text.substr(i, fold));
      i += fold;
      continue;
    }
    if (const std::size_t line_break = line_break_at(text, i)) {
      out.append(text.substr(i, line_break));
      i += line_break;
      name.clear();
      in_name = true;
      in_quotes = false;
      in_value = false;
      in_text_value = false;
      continue;
    }
    const char c = text[i];
    if (!in_value) {
      if (c == '"') {
        in_quotes = !in_quotes;
      } else if (!in_quotes && c == ':') {
        in_value = true;
        in_text_value = is_text_property(name);
      } else if (!in_quotes && c == ';') {
        in_name = false;
      } else if (in_name) {
        name.push_back(upper(c));
      }
      out.push_back(c);
      ++i;
      continue;
    }
    if (c != '\\' || !in_text_value) {
      out.push_back(c);
      ++i;
      continue;
    }
    // A backslash in a text value: find the character it escapes, past folds.
    std::size_t escaped = i + 1;
    while (const std::size_t fold = fold_at(text, escaped)) escaped += fold;
    const std::string_view folds = text.substr(i + 1, escaped - (i + 1));
    if (escaped < text.size() && is_rfc_escape(text[escaped])) {
      out.push_back('\\');
      out.append(folds);
      out.push_back(text[escaped]);
      i = escaped + 1;
    } else if (escaped < text.size() && text[escaped] == ':') {
      out.append(folds);
      out.push_back(':');
      i = escaped + 1;
    } else {
      out.append("\\\\");
      out.append(folds);
      i = escaped;
    }
  }
  return out;
}

}  // namespace kutsu::importer::detail
