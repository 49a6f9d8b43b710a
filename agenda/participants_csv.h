// The participants CSV: RFC 4180, UTF-8 (a BOM is tolerated), header row
// required, any column order; columns email (required), name, roles,
// language, join_url. Unknown columns are errors, like unknown TOML keys.
// Problems are reported as `FILE:LINE: error: …` with the CSV line number,
// and a duplicate address names the line of its first occurrence. Bad rows
// are left out; the rest are kept. Fields are trimmed, and a name's line
// breaks (a spreadsheet cell's Alt-Enter) become spaces, since a display name
// goes into a one-line mail header.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "agenda/participant.h"
#include "base/diagnostic.h"

namespace kutsu::agenda {

struct ParticipantsLoad {
  std::vector<Participant> participants;  // the good rows, in file order
  Diagnostics diagnostics;
};

// `file` is used in messages only.
ParticipantsLoad parse_participants_csv(std::string_view text, const std::filesystem::path& file);

// Syntax check for an e-mail address (addr-spec without comments or quoted
// local parts, a domain with a dot). Shared by the CSV and `organiser.email`.
bool is_valid_email(std::string_view address);

}  // namespace kutsu::agenda
