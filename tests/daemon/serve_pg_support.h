// What the `kutsu serve` tests on PostgreSQL share (issue #14): a database
// of their own in the test process's PostgreSQL cluster, nodes — each a
// folder with its own series_dir, state_dir and kutsu.toml whose [store]
// names the one database — run as `kutsu serve` child processes, and a
// real SMTP server they all send to, with a tally of what it received.
//
// Waits are on events (the SMTP server's messages, the nodes' log lines,
// the database's state read in a loop with a deadline); reading messages
// also reads every node's log, so that a burst's "sent" lines never fill a
// node's stdout pipe and block it.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/smtp_server.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::daemon::testing {

class PgNodes {
 public:
  // `lease`: [store] lease of every node, e.g. "PT5S".
  explicit PgNodes(std::string lease = "PT60S");
  ~PgNodes();

  // Writes node `name`'s folder with `files` (name → text) in its
  // series.d, and its kutsu.toml (its admin API asking for kToken);
  // returns the config's path.
  std::filesystem::path add_node(const std::string& name,
                                 const std::map<std::string, std::string>& files);
  static constexpr std::string_view kToken = "pg-admin-token";
  // Replaces a file in node `name`'s series.d.
  void write(const std::string& name, const std::string& file, const std::string& text);
  // Starts node `name` (returns once it serves).
  ServeProcess& start(const std::string& name);
  ServeProcess& node(const std::string& name) { return *running_.at(name); }

  // Takes messages until `until()` holds or `patience` passes without a
  // message; false in the second case.
  bool receive_until(const std::function<bool()>& until, std::chrono::milliseconds patience);
  // Takes whatever arrives until `quiet` passes without a message.
  void receive_while_any(std::chrono::milliseconds quiet);
  const std::map<std::string, int>& received() const { return received_; }
  std::size_t received_total() const;

  // One number from the database (the first column of the first row).
  long long scalar(const std::string& sql) const;
  // Waits until `sql` gives `value`; false after `limit`.
  bool await_scalar(const std::string& sql, long long value, std::chrono::milliseconds limit);
  // " info sent " lines node `name` has logged so far.
  int sent_by(const std::string& name);

  kutsu::testing::SmtpServer& smtp() { return smtp_; }
  const std::string& database() const { return uri_; }

 private:
  void drain_all();

  std::string lease_;
  std::string uri_;
  kutsu::testing::SmtpServer smtp_;
  kutsu::testing::TempDir dir_;
  std::map<std::string, std::filesystem::path> configs_;
  std::map<std::string, std::unique_ptr<ServeProcess>> running_;
  std::map<std::string, int> received_;
};

}  // namespace kutsu::daemon::testing
