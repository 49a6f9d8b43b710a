// ImportLoad: what an importer hands back — a draft, or every problem it
// found with the place in the source to point at (FILE:LINE, and a column
// where there is one). Warnings that do not stop the import are not here:
// they are notes in the draft, written into the output as comments.
#pragma once

#include <optional>

#include "base/diagnostic.h"
#include "importer/draft.h"

namespace kutsu::importer {

struct ImportLoad {
  std::optional<DraftSeries> draft;  // unset when `diagnostics` is not empty
  Diagnostics diagnostics;
};

}  // namespace kutsu::importer
