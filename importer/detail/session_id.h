// session_id: a session id made from its title, for the importers.
//
// Promises: the result matches [a-z0-9][a-z0-9-]{0,63} (the series format's
// id pattern) and is not in `taken`; it is added to `taken`. The title is
// transliterated to ASCII by ICU ("Työpaja: Äänestys & tulokset" →
// "tyopaja-aanestys-tulokset"; å→a, é→e, ß→ss, Cyrillic to Latin), every run
// of other characters becomes one '-', and a long title is cut at a word
// boundary to at most 40 characters. A title with nothing usable gives
// "session". Duplicates get "-2", "-3", … . Deterministic for the same
// sequence of calls; thread-safe (no shared state besides `taken`).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace kutsu::importer::detail {

inline constexpr std::size_t kSessionIdLength = 40;  // before any "-2" suffix

std::string session_id(std::string_view title, std::set<std::string>& taken);

}  // namespace kutsu::importer::detail
