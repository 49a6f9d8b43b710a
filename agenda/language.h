// Language of templates and date formats. The series picks a default; a
// participant's CSV row may override it.
#pragma once

#include <optional>
#include <string_view>

namespace kutsu::agenda {

enum class Language { fi, sv, en };

// "fi" / "sv" / "en"; nullopt for anything else (callers report the error).
std::optional<Language> parse_language(std::string_view code);
std::string_view to_string(Language language);

}  // namespace kutsu::agenda
