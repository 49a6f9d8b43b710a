// `kutsu version`: what was built, for bug reports.
#include <iostream>

#include "daemon/commands.h"

namespace kutsu::daemon {

void add_version_command(CLI::App& app, int* exit_code) {
  app.add_subcommand("version", "Print the version and build information")->callback([exit_code] {
    std::cout << "kutsu " << KUTSU_VERSION << " (" << KUTSU_BUILD_TYPE << ", " << __VERSION__
              << ")\n";
    *exit_code = 0;
  });
}

}  // namespace kutsu::daemon
