// placeholder: written by the plan command work
#include "daemon/commands.h"
namespace kutsu::cli {
void add_plan_command(CLI::App& app, int* exit_code) {
  app.add_subcommand("plan", "(not built yet)")->callback([exit_code] { *exit_code = 1; });
}
}  // namespace kutsu::cli
