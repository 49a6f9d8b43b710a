// Running the real `kutsu` binary (KUTSU_BINARY) the way a user does, and
// writing series files for it into a fresh temporary directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/fixtures/child_process.h"

namespace kutsu::cli::testing {

// Runs `kutsu ARGS…` in `working_dir` (default: the source tree, so that
// examples/… resolves) and returns its exit code, stdout and stderr.
kutsu::testing::RunResult run_kutsu(std::vector<std::string> args,
                                    const std::string& working_dir = KUTSU_SOURCE_DIR);

// A directory under the system temp dir, removed with everything in it when
// the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name (creating subdirectories) and returns the path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// The text of a file, for comparing with golden files.
std::string read_file(const std::filesystem::path& path);

}  // namespace kutsu::cli::testing
