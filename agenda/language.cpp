#include "agenda/language.h"

namespace kutsu::agenda {

std::optional<Language> parse_language(std::string_view code) {
  if (code == "fi") return Language::fi;
  if (code == "sv") return Language::sv;
  if (code == "en") return Language::en;
  return std::nullopt;
}

std::string_view to_string(Language language) {
  switch (language) {
    case Language::fi:
      return "fi";
    case Language::sv:
      return "sv";
    case Language::en:
      return "en";
  }
  return "?";
}

}  // namespace kutsu::agenda
