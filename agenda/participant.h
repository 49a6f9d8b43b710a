// Participant: one row of a series' participants CSV, already validated
// (address syntax, unique address, known language, https join link).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agenda/language.h"

namespace date {
class time_zone;
}

namespace kutsu::agenda {

struct Participant {
  std::string email;                    // as written; compare case-insensitively
  std::string name;                     // display name, may be empty
  std::vector<std::string> roles;       // from the `;`-separated roles column
  std::optional<Language> language;     // overrides the series language
  std::optional<std::string> join_url;  // personal link; wins over the session's
  // The zone this person's mails show times in (the `timezone` column);
  // null: the series zone. Points into the tz database, which outlives every series.
  const date::time_zone* zone = nullptr;
  int line = 0;                         // CSV line the row starts on, for messages
};

}  // namespace kutsu::agenda
