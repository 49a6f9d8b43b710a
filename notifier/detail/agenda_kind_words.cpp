#include "notifier/detail/agenda_kind_words.h"

#include <glib.h>

#include <memory>
#include <span>
#include <string>

namespace kutsu::notifier::detail {
namespace {

using Words = std::span<const std::string_view>;

// Word starts, case-folded, that name a kind in one language. Kept to words
// that cannot hide inside an unrelated one ("mat" would find "information").
constexpr std::string_view kBreakFi[] = {"tauko", "tauon", "kahvi"};
constexpr std::string_view kBreakSv[] = {"paus", "kaffe", "fika"};
constexpr std::string_view kBreakEn[] = {"break", "coffee"};
constexpr std::string_view kMealFi[] = {"lounas",   "ruokailu",    "aamiai",
                                        "aamupala", "päivällinen", "illallinen"};
constexpr std::string_view kMealSv[] = {"lunch", "middag", "frukost", "måltid"};
constexpr std::string_view kMealEn[] = {"lunch", "meal", "dinner", "breakfast", "supper"};
constexpr std::string_view kDiscussionFi[] = {"keskustel", "paneeli"};
constexpr std::string_view kDiscussionSv[] = {"diskussion", "samtal", "panel"};
constexpr std::string_view kDiscussionEn[] = {"discussion", "panel"};
constexpr std::string_view kCultureFi[] = {"kulttuuri", "musiikki"};
constexpr std::string_view kCultureSv[] = {"kultur", "musik"};
constexpr std::string_view kCultureEn[] = {"cultur", "music"};

Words pick(agenda::Language language, Words fi, Words sv, Words en) {
  switch (language) {
    case agenda::Language::fi:
      return fi;
    case agenda::Language::sv:
      return sv;
    case agenda::Language::en:
      return en;
  }
  return {};
}

Words words_for(agenda::AgendaItemKind kind, agenda::Language language) {
  using Kind = agenda::AgendaItemKind;
  switch (kind) {
    case Kind::break_:
      return pick(language, kBreakFi, kBreakSv, kBreakEn);
    case Kind::meal:
      return pick(language, kMealFi, kMealSv, kMealEn);
    case Kind::discussion:
      return pick(language, kDiscussionFi, kDiscussionSv, kDiscussionEn);
    case Kind::culture:
      return pick(language, kCultureFi, kCultureSv, kCultureEn);
    case Kind::talk:
    case Kind::other:
      break;
  }
  return {};
}

}  // namespace

bool title_names_kind(std::string_view title, agenda::AgendaItemKind kind,
                      agenda::Language language) {
  const Words words = words_for(kind, language);
  if (words.empty()) return false;
  // Titles are already valid UTF-8 (safe_text.h); g_utf8_casefold folds
  // "Ä" as well as "A".
  std::unique_ptr<gchar, decltype(&g_free)> folded{
      g_utf8_casefold(title.data(), static_cast<gssize>(title.size())), &g_free};
  const std::string_view text{folded.get()};
  for (std::string_view word : words) {
    if (text.find(word) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace kutsu::notifier::detail
