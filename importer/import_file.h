// import_file: what `kutsu import FILE` reads. Opens the file with base's
// input-file rules (a regular file, at most 2 MiB), makes sure it is UTF-8
// (Windows-1252, as Word saves text, is converted and the draft says so;
// other bytes are an error at their line), and hands it to the iCalendar
// importer when it is a calendar (BEGIN:VCALENDAR), else to the text
// importer.
#pragma once

#include <filesystem>

#include "importer/import_load.h"
#include "importer/import_options.h"

namespace kutsu::importer {

ImportLoad import_file(const std::filesystem::path& path, const ImportOptions& options);

}  // namespace kutsu::importer
