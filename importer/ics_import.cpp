#include "importer/ics_import.h"

namespace kutsu::importer {

ImportLoad import_ics(std::string_view, const std::string& file, const ImportOptions&) {
  ImportLoad load;
  load.diagnostics.push_back(Diagnostic{file, {}, "calendar files cannot be imported yet"});
  return load;
}

}  // namespace kutsu::importer
