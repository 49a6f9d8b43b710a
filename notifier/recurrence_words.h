// A recurring session said in words, in the participant's language, for the
// invitation's text (the calendar part carries the rule itself).
//
// A weekly rule on one weekday reads as a rule:
//   fi  tiistaisin klo 8.30–9.15, 3.3.–28.4.2026, ei 31.3.
//   sv  tisdagar kl. 8.30–9.15, 3.3–28.4.2026, inte 31.3
//   en  Tuesdays 08:30–09:15, 3 Mar – 28 Apr 2026, not 31 Mar
// with "alkaen 3.3.2026" / "från 3.3.2026" / "from 3 Mar 2026" for a rule
// without an end. Anything else (a date list, "the Sunday before each
// council meeting", a monthly rule) cannot be said shorter than its dates,
// so it has no words: the text lists the dates instead.
//
// Dates come from the occurrences planned (up to the horizon), so the words
// and the list always agree with what is sent. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agenda/language.h"
#include "agenda/series.h"

namespace kutsu::notifier {

std::optional<std::string> recurrence_in_words(const agenda::Series& series,
                                               const agenda::RecurringSession& recurring,
                                               agenda::Language language);

// Each occurrence that takes place, as "su 25.1.2026 klo 18.00–19.30", in
// date order; at most `limit`.
std::vector<std::string> occurrence_dates(const agenda::Series& series,
                                          const agenda::RecurringSession& recurring,
                                          agenda::Language language, std::size_t limit);

}  // namespace kutsu::notifier
