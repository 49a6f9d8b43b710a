// `kutsu store copy --from URL --to URL`: a whole outbox moved between
// SQLite and PostgreSQL (store/copy/outbox_copy.h does the work). The
// command reads the two locations, shows progress and says how it ended.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/listen_address.h"
#include "daemon/admin_address_file.h"
#include "daemon/commands.h"
#include "store/copy/outbox_copy.h"

namespace kutsu::daemon {
namespace {

struct CopyArguments {
  std::string from;
  std::string to;
};

// 1234567 → "1,234,567": progress on a million rows is read at a glance.
std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return value < 0 ? "-" + digits : digits;
}

// What one table's rows are called in the summary, singular and plural.
std::string rows_named(std::string_view table, std::int64_t rows) {
  const bool one = rows == 1;
  std::string noun;
  if (table == "notifications") noun = one ? "notification" : "notifications";
  else if (table == "attempts") noun = one ? "attempt" : "attempts";
  else if (table == "series_versions") noun = one ? "series version" : "series versions";
  else if (table == "session_versions") noun = one ? "session version" : "session versions";
  else if (table == "opt_outs") noun = one ? "opt-out" : "opt-outs";
  else if (table == "settings") noun = one ? "setting" : "settings";
  else return "";  // plan_generation: one row, not worth a word
  return grouped(rows) + " " + noun;
}

// The line rewritten in place on a terminal: "copied 120,000 of 1,000,000
// notifications". Written after every batch; a terminal takes that easily.
class ProgressLine {
 public:
  explicit ProgressLine(bool terminal) : terminal_(terminal) {}
  ~ProgressLine() { end(); }

  void show(const store::CopyProgress& progress) {
    if (!terminal_ || progress.total == 0) return;
    std::string noun(progress.table);
    for (char& c : noun) if (c == '_') c = ' ';
    // \x1b[K clears what a longer line before left at the end.
    std::cerr << "\rcopied " << grouped(progress.copied) << " of " << grouped(progress.total) << " "
              << noun << "\x1b[K" << std::flush;
    shown_ = true;
  }

  void end() {
    if (shown_) std::cerr << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  bool terminal_;
  bool shown_ = false;
};

// A daemon serving on an SQLite outbox leaves its admin address in the
// state_dir beside it (admin_address_file.h) and removes it when it stops;
// a file left by a killed daemon names a port nobody answers on. So: an
// address that answers means a running daemon. The store cannot see this
// itself (the file is the daemon's), hence here. Loopback connects answer
// at once, accepted or refused.
Status refuse_serving_daemon(const store::OutboxLocation& location) {
  if (location.kind != store::OutboxLocation::Kind::sqlite) return {};
  const std::filesystem::path state_dir = location.file.parent_path().empty()
                                              ? std::filesystem::path(".")
                                              : location.file.parent_path();
  Result<std::string> address = read_admin_address(state_dir);
  if (!address) return {};  // no file: no daemon said it serves here
  Result<ListenAddress> parsed = ListenAddress::parse(*address);
  if (!parsed) return {};
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code error;
  const auto ip = boost::asio::ip::make_address(parsed->host, error);
  if (error) return {};
  static_cast<void>(socket.connect({ip, parsed->port}, error));
  if (error) return {};  // left behind by a daemon that is gone
  return Error{"a kutsu serve is running on " + location.describe() + " (its admin API answers at " +
                   *address + "): stop it first (systemctl stop kutsu)",
               ErrorCode::conflict};
}

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
    if (Status idle = refuse_serving_daemon(*side); !idle) {
      std::cerr << "kutsu store copy: " << idle.error().message << "\nNothing was copied.\n";
      return 1;
    }
  }
  ProgressLine line(isatty(STDERR_FILENO) == 1);
  store::CopyOptions options;
  options.on_progress = [&line](const store::CopyProgress& progress) { line.show(progress); };
  Result<store::CopySummary> copied = store::copy_outbox(*from, *to, options);
  line.end();
  if (!copied) {
    std::cerr << "kutsu store copy: " << copied.error().message << "\nNothing was copied.\n";
    return 1;
  }
  std::string parts;
  for (const store::CopiedTable& table : copied->tables) {
    std::string part = rows_named(table.table, table.rows);
    if (!part.empty()) parts += (parts.empty() ? "" : ", ") + part;
  }
  std::cout << "copied " << parts << " from " << from->describe() << " to " << to->describe()
            << "\n";
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
