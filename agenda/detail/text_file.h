// Reading a whole (small) text file, with the OS's reason on failure, so that
// a missing series or CSV file becomes a diagnostic instead of an exception.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.h"

namespace kutsu::agenda::detail {

// The file's bytes. Fails with "cannot read 'PATH': REASON" (no such file,
// permission denied, is a directory, …).
Result<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace kutsu::agenda::detail
