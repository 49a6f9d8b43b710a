// The keys that make a `[[session]]` recurring (agenda-format.md,
// "Recurring sessions"): `repeat`, `except`, `dates`, `on` and the
// `[[session.occurrence]]` tables, read and checked as far as the keys
// alone allow. Expanding them into occurrences is occurrences.h.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include <date/date.h>
#include <date/tz.h>
#include <toml++/toml.h>

#include "agenda/recurrence.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {

// What a session needs from its series to read its recurrence.
struct SessionContext {
  std::filesystem::path series_file;      // `dates` files are relative to it
  const date::time_zone* zone = nullptr;  // null when the series zone was bad (reported)
  date::local_days until;                 // rules are expanded up to this date
};

struct RecurrenceSpec {
  Recurrence recurrence;
  std::vector<Located<date::local_days>> except;
  std::vector<const toml::table*> changes;  // [[session.occurrence]], in file order
  bool usable = true;  // false: a problem was reported, expand nothing
  bool repeats = false;  // written with `repeat` (else with `dates`)

  bool has_rule() const { return repeats; }
  // For `dates`: the first date an occurrence falls on (after `on`).
  std::optional<date::local_days> first_date() const;
};

// nullopt when the table has neither `repeat` nor `dates` (then `except`,
// `on` and [[session.occurrence]] are reported as needing one of them).
std::optional<RecurrenceSpec> read_recurrence(TomlTableReader& reader,
                                              const SessionContext& context);

}  // namespace kutsu::agenda::detail
