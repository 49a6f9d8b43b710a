// The words of the announcement importer, in Finnish, Swedish and English:
// weekdays, months, the words that introduce a time, the words that say
// what kind a timetable item is, that the lines open, that the day ends,
// and who speaks. Every lookup takes a word folded by fold_case().
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "agenda/language.h"
#include "agenda/series.h"

namespace kutsu::importer::detail {

struct WeekdayWord {
  std::chrono::weekday day;
  agenda::Language language;
};
// "ke", "keskiviikkona", "ons", "onsdag", "wed", "Wednesday", …
std::optional<WeekdayWord> weekday_word(std::string_view folded);

struct MonthWord {
  unsigned month;  // 1–12
  agenda::Language language;
};
// "helmikuuta", "februari", "February", "Feb", …
std::optional<MonthWord> month_word(std::string_view folded);

// "klo", "kello", "kl", "at", "from": a time follows.
std::optional<agenda::Language> time_word(std::string_view folded);

// "to", "until", "till", "asti": between the two times of a range, like a dash.
bool range_word(std::string_view folded);

// The kind of a timetable item from its words ("Lounastauko" is a meal, not
// a break). Anything not recognised is a talk.
agenda::AgendaItemKind item_kind(std::string_view text);

// "Linjat avataan", "ovet avataan", "dörrarna öppnas", "doors open".
bool says_doors_open(std::string_view text);

// "Tilaisuuden päätös", "avslutning", "close".
bool says_closing(std::string_view text);

// "alustaa", "puhumassa", "alustajana", "inledare", "speaker", …
bool speaker_word(std::string_view folded);

// The online platform a text says the sessions are held on ("Zoom",
// "Microsoft Teams", "Google Meet"), or empty.
std::string online_platform(std::string_view text);

// A Finnish local-case ending ("Tehystä": from Tehy): a word that says where
// someone comes from, not a part of their name.
bool has_place_ending(std::string_view folded);

}  // namespace kutsu::importer::detail
