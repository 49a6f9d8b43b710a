// `kutsu store copy --from URL --to URL`: a whole outbox moved between
// SQLite and PostgreSQL (store/copy/outbox_copy.h does the work, and
// console/store_copy.h shows it). The command reads the two locations,
// refuses a serving daemon, and says how it ended.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "console/store_copy.h"
#include "daemon/commands.h"
#include "store/copy/outbox_copy.h"

namespace kutsu::daemon {
namespace {

struct CopyArguments {
  std::string from;
  std::string to;
};

int run_copy(const CopyArguments& arguments) {
  Result<store::OutboxLocation> from = store::parse_outbox_location(arguments.from);
  if (!from) {
    std::cerr << "kutsu store copy: --from: " << from.error().message << "\n";
    return 2;
  }
  Result<store::OutboxLocation> to = store::parse_outbox_location(arguments.to);
  if (!to) {
    std::cerr << "kutsu store copy: --to: " << to.error().message << "\n";
    return 2;
  }
  if (store::same_outbox(*from, *to)) {
    std::cerr << "kutsu store copy: --from and --to are the same outbox (" << from->describe()
              << ")\n";
    return 2;
  }
  for (const store::OutboxLocation* side : {&*from, &*to}) {
    if (Status idle = console::refuse_serving_daemon(*side); !idle) {
      std::cerr << "kutsu store copy: " << idle.error().message << "\nNothing was copied.\n";
      return 1;
    }
  }
  console::CopyProgressLine line(std::cerr, isatty(STDERR_FILENO) == 1);
  store::CopyOptions options;
  options.on_progress = [&line](const store::CopyProgress& progress) { line.show(progress); };
  Result<store::CopySummary> copied = store::copy_outbox(*from, *to, options);
  line.end();
  if (!copied) {
    std::cerr << "kutsu store copy: " << copied.error().message << "\nNothing was copied.\n";
    return 1;
  }
  std::cout << console::copy_summary(*copied, *from, *to) << "\n";
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace

void add_store_command(CLI::App& app, int* exit_code) {
  CLI::App* store = app.add_subcommand("store", "Work on the outbox itself (the daemon stopped)");
  store->require_subcommand(1);
  CLI::App* copy = store->add_subcommand(
      "copy", "Copy a whole outbox between SQLite and PostgreSQL, e.g. to move to several nodes");
  copy->footer(
      "URL is either\n"
      "  postgresql://USER@HOST/DATABASE?…  a PostgreSQL database (libpq URI; postgres:// too).\n"
      "      No password in it: libpq reads ~/.pgpass, PGPASSFILE or PGPASSWORD.\n"
      "  sqlite:PATH or PATH   an SQLite outbox file; a folder means the daemon's\n"
      "      state_dir, i.e. its kutsu.db (e.g. /var/lib/kutsu).\n"
      "\n"
      "Stop every daemon on both outboxes first (systemctl stop kutsu). The copy refuses\n"
      "an SQLite outbox whose daemon's admin API answers (STATE_DIR/admin-address), a\n"
      "source with notifications being sent (start and stop the daemon once so it takes\n"
      "them back) and a PostgreSQL outbox with a node whose heartbeat is under 2 minutes\n"
      "old or another connection whose last statement was on its tables.\n"
      "\n"
      "Both schemas are migrated to this version first. Everything is copied, ids kept:\n"
      "notifications and their states, the attempt history, series and session\n"
      "versions, opt-outs and the key that signs opt-out links. The destination\n"
      "must hold no notifications; it is written in one transaction, so a failure leaves\n"
      "it as it was. Going back to SQLite leaves behind what only PostgreSQL records\n"
      "(which node made each attempt, the node list).\n"
      "\n"
      "Progress on a terminal; one summary line on stdout at the end.\n"
      "Exit status: 0 copied, 1 refused or failed (nothing copied), 2 usage error.");
  auto arguments = std::make_shared<CopyArguments>();
  copy->add_option("--from", arguments->from, "The outbox to copy (URL, see below)")
      ->type_name("URL")
      ->required();
  copy->add_option("--to", arguments->to, "A new outbox to copy into (URL, see below)")
      ->type_name("URL")
      ->required();
  copy->callback([arguments, exit_code] { *exit_code = run_copy(*arguments); });
}

}  // namespace kutsu::daemon
