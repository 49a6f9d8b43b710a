// placeholder: written by the preview command work
#include "daemon/commands.h"
namespace kutsu::cli {
void add_preview_command(CLI::App& app, int* exit_code) {
  app.add_subcommand("preview", "(not built yet)")->callback([exit_code] { *exit_code = 1; });
}
}  // namespace kutsu::cli
