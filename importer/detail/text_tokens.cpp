#include "importer/detail/text_tokens.h"

namespace kutsu::importer::detail {
namespace {

// One UTF-8 character at `i`: its code point and length. Input is valid
// UTF-8 (import_file checks), but a stray byte still counts as one.
struct Char {
  char32_t code;
  std::size_t length;
};

Char char_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const auto follow = [&](std::size_t n) {
    if (i + n > s.size()) return Char{c, 1};
    char32_t code = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return Char{code, n};
  };
  if (c < 0x80) return Char{c, 1};
  if ((c & 0xE0) == 0xC0) return follow(2);
  if ((c & 0xF0) == 0xE0) return follow(3);
  if ((c & 0xF8) == 0xF0) return follow(4);
  return Char{c, 1};
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x202F || c == 0x2009; }
bool is_dash(char32_t c) { return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2212; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Letters of any script, and the apostrophe and hyphen inside words
// ("JHL:n" is split at the colon; "Keski-Suomen" stays one word).
bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0xC0) return false;                       // Latin-1 punctuation and signs
  if (c == 0xD7 || c == 0xF7) return false;         // × ÷
  if (c >= 0x2000 && c <= 0x2BFF) return false;     // general punctuation, arrows, symbols
  if (c >= 0x3000 && c <= 0x303F) return false;     // CJK punctuation
  return true;
}

}  // namespace

std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  int column = 1;
  bool space = false;
  while (i < line.size()) {
    const auto first = char_at(line, i);
    if (is_space(first.code)) {
      i += first.length;
      ++column;
      space = true;
      continue;
    }
    Token token{TokenKind::other, {}, i, i, column, space};
    space = false;
    std::size_t j = i + first.length;
    int width = 1;
    if (is_digit(first.code)) {
      token.kind = TokenKind::number;
      while (j < line.size() && is_digit(static_cast<unsigned char>(line[j]))) ++j, ++width;
    } else if (is_letter(first.code)) {
      token.kind = TokenKind::word;
      while (j < line.size()) {
        const auto next = char_at(line, j);
        const bool joiner = (next.code == '-' || next.code == '\'' || next.code == 0x2019) && j + next.length < line.size() &&
                            is_letter(char_at(line, j + next.length).code);
        if (!is_letter(next.code) && !joiner) break;
        j += next.length;
        ++width;
      }
    } else if (first.code == '.') {
      token.kind = TokenKind::dot;
    } else if (first.code == ':') {
      token.kind = TokenKind::colon;
    } else if (first.code == ',') {
      token.kind = TokenKind::comma;
    } else if (is_dash(first.code)) {
      token.kind = TokenKind::dash;
    }
    token.end = j;
    token.text = line.substr(i, j - i);
    tokens.push_back(token);
    column += width;
    i = j;
  }
  return tokens;
}

std::string fold_case(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < word.size()) {
      // Latin-1 capitals À–Þ (except ×) are two bytes C3 80–9E; lower case adds 0x20.
      const auto next = static_cast<unsigned char>(word[i + 1]);
      out += static_cast<char>(c);
      out += static_cast<char>(next >= 0x80 && next <= 0x9E && next != 0x97 ? next + 0x20 : next);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool is_capitalised(std::string_view word) {
  if (word.empty()) return false;
  const auto c = static_cast<unsigned char>(word[0]);
  if (c >= 'A' && c <= 'Z') return true;
  if (c == 0xC3 && word.size() > 1) {
    const auto next = static_cast<unsigned char>(word[1]);
    return next >= 0x80 && next <= 0x9E && next != 0x97;
  }
  return false;
}

}  // namespace kutsu::importer::detail
