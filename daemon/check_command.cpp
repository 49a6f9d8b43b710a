// placeholder: written by the check command work
#include "daemon/commands.h"
namespace kutsu::cli {
void add_check_command(CLI::App& app, int* exit_code) {
  app.add_subcommand("check", "(not built yet)")->callback([exit_code] { *exit_code = 1; });
}
}  // namespace kutsu::cli
