// Running the real `kutsu` binary (KUTSU_BINARY) the way a user does, and
// writing series files for it into a fresh temporary directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/fixtures/child_process.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::daemon::testing {

// Runs `kutsu ARGS…` in `working_dir` (default: the source tree, so that
// examples/… resolves) and returns its exit code, stdout and stderr.
kutsu::testing::RunResult run_kutsu(std::vector<std::string> args,
                                    const std::string& working_dir = KUTSU_SOURCE_DIR);

using kutsu::testing::TempDir;

// The text of a file, for comparing with golden files.
std::string read_file(const std::filesystem::path& path);

}  // namespace kutsu::daemon::testing
