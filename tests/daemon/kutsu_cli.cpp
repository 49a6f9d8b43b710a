#include "tests/daemon/kutsu_cli.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kutsu::daemon::testing {

kutsu::testing::RunResult run_kutsu(std::vector<std::string> args, const std::string& working_dir) {
  kutsu::testing::ChildProcess::Options options;
  options.argv.push_back(KUTSU_BINARY);
  for (std::string& arg : args) options.argv.push_back(std::move(arg));
  options.working_dir = working_dir;
  return kutsu::testing::run(std::move(options));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kutsu::daemon::testing
