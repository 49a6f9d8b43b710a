// The `kutsu` subcommands. Each add_*_command registers one subcommand on
// the CLI11 app with its options and --help text, and arranges for the
// returned exit code to be stored in `*exit_code` when it runs. Exit codes
// follow interfaces.md: 0 ok, 1 invalid input or failure, 2 usage.
#pragma once

#include <CLI/CLI.hpp>

namespace kutsu::daemon {

void add_check_command(CLI::App& app, int* exit_code);
void add_import_command(CLI::App& app, int* exit_code);
void add_plan_command(CLI::App& app, int* exit_code);
void add_preview_command(CLI::App& app, int* exit_code);
void add_serve_command(CLI::App& app, int* exit_code);
void add_status_command(CLI::App& app, int* exit_code);
void add_store_command(CLI::App& app, int* exit_code);
void add_version_command(CLI::App& app, int* exit_code);

}  // namespace kutsu::daemon
