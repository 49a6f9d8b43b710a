#include "importer/text_import.h"

namespace kutsu::importer {

ImportLoad import_text(std::string_view, const std::string& file, const ImportOptions&) {
  ImportLoad load;
  load.diagnostics.push_back(Diagnostic{file, {}, "announcements cannot be imported yet"});
  return load;
}

}  // namespace kutsu::importer
