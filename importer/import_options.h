// ImportOptions: what the organiser tells `kutsu import` that the source
// itself may not say. Every field is optional; an importer that needs one
// and finds neither the option nor the fact in the source says so.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "agenda/language.h"

namespace kutsu::importer {

struct ImportOptions {
  // The year of dates written without one ("Ke 16.3.") until the text names
  // a year itself. Unset: the next such date on or after `today`.
  std::optional<int> year;
  std::string timezone;                     // empty: from the source, else Europe/Helsinki
  std::optional<agenda::Language> language;  // unset: guessed from the source's words
  std::string id;                           // empty: a TODO line in the output
  std::chrono::sys_days today{};            // "today" for year-less dates; set by the caller
};

}  // namespace kutsu::importer
