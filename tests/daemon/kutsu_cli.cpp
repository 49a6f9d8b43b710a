#include "tests/daemon/kutsu_cli.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kutsu::cli::testing {

kutsu::testing::RunResult run_kutsu(std::vector<std::string> args, const std::string& working_dir) {
  kutsu::testing::ChildProcess::Options options;
  options.argv.push_back(KUTSU_BINARY);
  for (std::string& arg : args) options.argv.push_back(std::move(arg));
  options.working_dir = working_dir;
  return kutsu::testing::run(std::move(options));
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kutsu-daemon-test-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // a leftover temp dir must not fail the test
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
  std::filesystem::path file = path_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kutsu::cli::testing
