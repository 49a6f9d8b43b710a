// Writes a draft as a series TOML an organiser can read and finish: the
// layout of the bundled examples (a comment header, series keys, one blank
// line between sessions, multi-line descriptions as """ strings), with a
// `# TODO` line for every required key the draft lacks (id, organiser,
// join link, participants). Once those are filled, `kutsu check` accepts
// the file. The output always parses as TOML, whatever the draft's strings
// hold, provided they are UTF-8 (import_file() makes sure of that).
#pragma once

#include <string>

#include "importer/draft.h"

namespace kutsu::importer {

std::string write_series_toml(const DraftSeries& draft);

}  // namespace kutsu::importer
