#include "importer/detail/text_words.h"

#include <array>
#include <string>

#include "importer/detail/text_tokens.h"

namespace kutsu::importer::detail {
namespace {

using agenda::Language;
using std::chrono::weekday;

struct Named {
  std::string_view word;
  unsigned value;
  Language language;
};

// Weekdays by number (0 = Sunday, as std::chrono::weekday counts).
constexpr std::array kWeekdays{
    Named{"su", 0, Language::fi},         Named{"sunnuntai", 0, Language::fi},  Named{"sunnuntaina", 0, Language::fi},
    Named{"ma", 1, Language::fi},         Named{"maanantai", 1, Language::fi},  Named{"maanantaina", 1, Language::fi},
    Named{"ti", 2, Language::fi},         Named{"tiistai", 2, Language::fi},    Named{"tiistaina", 2, Language::fi},
    Named{"ke", 3, Language::fi},         Named{"keskiviikko", 3, Language::fi}, Named{"keskiviikkona", 3, Language::fi},
    Named{"to", 4, Language::fi},         Named{"torstai", 4, Language::fi},    Named{"torstaina", 4, Language::fi},
    Named{"pe", 5, Language::fi},         Named{"perjantai", 5, Language::fi},  Named{"perjantaina", 5, Language::fi},
    Named{"la", 6, Language::fi},         Named{"lauantai", 6, Language::fi},   Named{"lauantaina", 6, Language::fi},
    Named{"sö", 0, Language::sv},         Named{"sön", 0, Language::sv},        Named{"söndag", 0, Language::sv},
    Named{"söndagen", 0, Language::sv},   Named{"må", 1, Language::sv},         Named{"mån", 1, Language::sv},
    Named{"måndag", 1, Language::sv},     Named{"måndagen", 1, Language::sv},   Named{"tis", 2, Language::sv},
    Named{"tisdag", 2, Language::sv},     Named{"tisdagen", 2, Language::sv},   Named{"on", 3, Language::sv},
    Named{"ons", 3, Language::sv},        Named{"onsdag", 3, Language::sv},     Named{"onsdagen", 3, Language::sv},
    Named{"tor", 4, Language::sv},        Named{"tors", 4, Language::sv},       Named{"torsdag", 4, Language::sv},
    Named{"torsdagen", 4, Language::sv},  Named{"fr", 5, Language::sv},         Named{"fre", 5, Language::sv},
    Named{"fredag", 5, Language::sv},     Named{"fredagen", 5, Language::sv},   Named{"lö", 6, Language::sv},
    Named{"lör", 6, Language::sv},        Named{"lördag", 6, Language::sv},     Named{"lördagen", 6, Language::sv},
    Named{"sun", 0, Language::en},        Named{"sunday", 0, Language::en},     Named{"mon", 1, Language::en},
    Named{"monday", 1, Language::en},     Named{"tue", 2, Language::en},        Named{"tues", 2, Language::en},
    Named{"tuesday", 2, Language::en},    Named{"wed", 3, Language::en},        Named{"wednesday", 3, Language::en},
    Named{"thu", 4, Language::en},        Named{"thur", 4, Language::en},       Named{"thurs", 4, Language::en},
    Named{"thursday", 4, Language::en},   Named{"fri", 5, Language::en},        Named{"friday", 5, Language::en},
    Named{"sat", 6, Language::en},        Named{"saturday", 6, Language::en},
};

// Finnish month names are compounds of a stem and "kuu" (month), inflected:
// "helmikuu", "helmikuuta", "helmikuussa".
constexpr std::array kFinnishMonthStems{"tammi", "helmi", "maalis", "huhti", "touko", "kesä",
                                        "heinä", "elo",   "syys",   "loka",  "marras", "joulu"};

constexpr std::array kMonths{
    Named{"januari", 1, Language::sv},   Named{"februari", 2, Language::sv},  Named{"mars", 3, Language::sv},
    Named{"april", 4, Language::sv},     Named{"maj", 5, Language::sv},       Named{"juni", 6, Language::sv},
    Named{"juli", 7, Language::sv},      Named{"augusti", 8, Language::sv},   Named{"september", 9, Language::sv},
    Named{"oktober", 10, Language::sv},  Named{"november", 11, Language::sv}, Named{"december", 12, Language::sv},
    Named{"january", 1, Language::en},   Named{"february", 2, Language::en},  Named{"march", 3, Language::en},
    Named{"may", 5, Language::en},       Named{"june", 6, Language::en},      Named{"july", 7, Language::en},
    Named{"august", 8, Language::en},    Named{"october", 10, Language::en},  Named{"jan", 1, Language::en},
    Named{"feb", 2, Language::en},       Named{"mar", 3, Language::en},       Named{"apr", 4, Language::en},
    Named{"jun", 6, Language::en},       Named{"jul", 7, Language::en},       Named{"aug", 8, Language::en},
    Named{"sep", 9, Language::en},       Named{"sept", 9, Language::en},      Named{"oct", 10, Language::en},
    Named{"nov", 11, Language::en},      Named{"dec", 12, Language::en},
};

bool contains_any(const std::string& folded, std::initializer_list<std::string_view> needles) {
  for (const auto needle : needles) {
    if (folded.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::optional<WeekdayWord> weekday_word(std::string_view folded) {
  for (const auto& named : kWeekdays) {
    if (named.word == folded) return WeekdayWord{weekday{named.value}, named.language};
  }
  return std::nullopt;
}

std::optional<MonthWord> month_word(std::string_view folded) {
  for (unsigned i = 0; i < kFinnishMonthStems.size(); ++i) {
    const std::string stem = std::string(kFinnishMonthStems[i]) + "kuu";
    if (folded.starts_with(stem) && folded.size() <= stem.size() + 3) return MonthWord{i + 1, Language::fi};
  }
  for (const auto& named : kMonths) {
    if (named.word == folded) return MonthWord{named.value, named.language};
  }
  return std::nullopt;
}

std::optional<agenda::Language> time_word(std::string_view folded) {
  if (folded == "klo" || folded == "kello") return Language::fi;
  if (folded == "kl" || folded == "klockan") return Language::sv;
  if (folded == "at" || folded == "from") return Language::en;
  return std::nullopt;
}

bool range_word(std::string_view folded) {
  return folded == "to" || folded == "until" || folded == "till" || folded == "asti";
}

agenda::AgendaItemKind item_kind(std::string_view text) {
  using agenda::AgendaItemKind;
  const std::string folded = fold_case(text);
  if (contains_any(folded, {"lounas", "lunch", "ruokailu", "päivällinen", "middag", "dinner", "aamiainen", "frukost",
                            "breakfast"})) {
    return AgendaItemKind::meal;
  }
  if (contains_any(folded, {"tauko", "paus", "break", "kahvi", "kaffe", "coffee"})) return AgendaItemKind::break_;
  if (contains_any(folded, {"keskustelu", "diskussion", "discussion", "kysely", "frågestund", "question", "paneeli",
                            "panel", "ryhmätyö", "grupparbete", "työpaja", "workshop"})) {
    return AgendaItemKind::discussion;
  }
  if (contains_any(folded, {"kulttuuri", "kultur", "culture", "musiikki", "musik", "music"})) {
    return AgendaItemKind::culture;
  }
  return AgendaItemKind::talk;
}

bool says_doors_open(std::string_view text) {
  const std::string folded = fold_case(text);
  return contains_any(folded, {"linjat avataan", "linjat aukeavat", "linjat auki", "ovet avataan", "ovet aukeavat",
                               "dörrarna öppnas", "linjerna öppnas", "doors open", "lines open"});
}

bool says_closing(std::string_view text) {
  const std::string folded = fold_case(text);
  return contains_any(folded, {"päätös", "päättyy", "päättäjäiset", "lopetus", "avslutning", "avslutas", "closing",
                               "close"});
}

bool speaker_word(std::string_view folded) {
  return folded == "alustaa" || folded == "alustavat" || folded == "alustajana" || folded == "alustajina" ||
         folded == "alustaja" || folded == "alustajat" || folded == "puhumassa" || folded == "puhujana" ||
         folded == "puhuja" || folded == "puhujat" || folded == "inledare" || folded == "inledarna" ||
         folded == "talare" || folded == "speaker" || folded == "speakers";
}

std::string online_platform(std::string_view text) {
  const std::string folded = fold_case(text);
  if (folded.find("zoom") != std::string::npos) return "Zoom";
  if (folded.find("teams") != std::string::npos) return "Microsoft Teams";
  if (folded.find("google meet") != std::string::npos) return "Google Meet";
  return {};
}

bool has_place_ending(std::string_view folded) {
  for (const std::string_view ending : {"stä", "sta", "ltä", "lta", "ssa", "ssä", "lla", "llä"}) {
    if (folded.size() > ending.size() + 2 && folded.ends_with(ending)) return true;
  }
  return false;
}

}  // namespace kutsu::importer::detail
