// The tokenizer of the announcement importer: one line of UTF-8 text as
// words, numbers and the punctuation that dates and times are written with.
//
// Tokens keep their byte range in the line (so the grammar can hand back the
// exact text after a date, e.g. a title with its own quotes and dashes) and
// their column in characters (so a diagnostic points where an editor does).
// Hyphen, en dash and em dash are one kind, as organisers mix them. Text
// that is none of these (quotes, question marks, brackets) is `other`, one
// token per character, so nothing is lost between tokens but spaces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kutsu::importer::detail {

enum class TokenKind { word, number, dot, colon, comma, dash, other };

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the line
  std::size_t begin = 0;  // byte offsets in the line
  std::size_t end = 0;
  int column = 0;  // 1-based, in characters
  bool space_before = false;
};

std::vector<Token> tokenize(std::string_view line);

// Lower case for matching words: ASCII and the letters of Finnish, Swedish
// and English text (ä ö å é ü); other characters unchanged.
std::string fold_case(std::string_view word);

// Whether a word starts with an upper-case letter (ASCII or Ä Ö Å É Ü).
bool is_capitalised(std::string_view word);

}  // namespace kutsu::importer::detail
