// kutsu: parses the command line and hands over to one subcommand.
#include <iostream>

#include "daemon/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Kutsu: invitations and reminders for webinar series, on time.", "kutsu"};
  app.require_subcommand(1);
  int exit_code = 0;
  kutsu::daemon::add_check_command(app, &exit_code);
  kutsu::daemon::add_import_command(app, &exit_code);
  kutsu::daemon::add_plan_command(app, &exit_code);
  kutsu::daemon::add_preview_command(app, &exit_code);
  kutsu::daemon::add_serve_command(app, &exit_code);
  kutsu::daemon::add_status_command(app, &exit_code);
  kutsu::daemon::add_store_command(app, &exit_code);
  kutsu::daemon::add_version_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help for --help (exit 0) and usage errors; usage is 2.
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
