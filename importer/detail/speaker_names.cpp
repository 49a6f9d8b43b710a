#include "importer/detail/speaker_names.h"

#include <algorithm>

#include "importer/detail/text_tokens.h"
#include "importer/detail/text_words.h"

namespace kutsu::importer::detail {
namespace {

// Sentences end at . ? ! followed by a space (or the end), so "JHL:n" and
// "Ppshp:n" stay inside theirs.
std::vector<std::string_view> sentences(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ends = (c == '.' || c == '?' || c == '!' || c == '\n') &&
                      (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
    if (ends) {
      out.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

bool is_name_word(const Token& token) {
  if (token.kind != TokenKind::word || !is_capitalised(token.text)) return false;
  const std::string folded = fold_case(token.text);
  return !speaker_word(folded) && !weekday_word(folded) && !month_word(folded);
}

void add_names_in(std::string_view sentence, std::vector<std::string>& names) {
  const auto tokens = tokenize(sentence);
  const bool has_speaker_word = std::any_of(tokens.begin(), tokens.end(), [](const Token& token) {
    return token.kind == TokenKind::word && speaker_word(fold_case(token.text));
  });
  if (!has_speaker_word) return;
  std::size_t i = 0;
  while (i < tokens.size()) {
    if (!is_name_word(tokens[i])) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < tokens.size() && is_name_word(tokens[end])) ++end;
    std::size_t length = end - i;
    // A word glued to the next token without a space ("JHL:n") is an abbreviation, not a name.
    const bool glued = end < tokens.size() && !tokens[end].space_before && tokens[end].kind != TokenKind::comma &&
                       tokens[end].kind != TokenKind::dot;
    if (length == 3 && has_place_ending(fold_case(tokens[i + 2].text))) length = 2;
    if ((length == 2 || length == 3) && !glued) {
      const std::string name(sentence.substr(tokens[i].begin, tokens[i + length - 1].end - tokens[i].begin));
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    i = end;
  }
}

}  // namespace

std::vector<std::string> speaker_names(std::string_view text) {
  std::vector<std::string> names;
  for (const auto sentence : sentences(text)) add_names_in(sentence, names);
  return names;
}

}  // namespace kutsu::importer::detail
