// `kutsu store copy` through the real binary: an outbox with something in
// every table goes SQLite → PostgreSQL → SQLite (a state_dir folder) and
// comes back field by field; a destination with notifications, a bad URL
// and an unreachable server get a sentence and the documented exit status;
// on a terminal the progress line is rewritten in place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <fstream>
#include <memory>
#include <string>

#include "store/outbox.h"
#include "tests/daemon/kutsu_cli.h"
#include "tests/fixtures/postgres_cluster.h"
#include "tests/store/copy_test_support.h"

namespace kutsu::daemon::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using kutsu::testing::PostgresCluster;

class StoreCopyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    original_ = dir_.path() / "original.db";
    store::copy_testing::fill_outbox(original_);
  }

  TempDir dir_;
  std::filesystem::path original_;
};

TEST_F(StoreCopyCommand, CopiesSqliteToPostgresqlAndBack) {
  const std::string uri = PostgresCluster::shared().fresh_database();
  auto to_pg = run_kutsu({"store", "copy", "--from", "sqlite:" + original_.string(), "--to", uri});
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.err;
  EXPECT_EQ(to_pg.out, "copied 10 notifications, 4 attempts, 2 series versions, 2 session versions, "
                       "2 opt-outs, 1 setting from the SQLite outbox " +
                           original_.string() + " to the PostgreSQL database " +
                           uri.substr(uri.find("///") + 3, uri.find('?') - uri.find("///") - 3) +
                           " on " + PostgresCluster::shared().directory().string() + "\n");
  EXPECT_EQ(to_pg.err, "");  // not a terminal: no progress line

  // Back into a state_dir: the folder names its kutsu.db.
  const std::filesystem::path state_dir = dir_.path() / "state";
  std::filesystem::create_directory(state_dir);
  auto back = run_kutsu({"store", "copy", "--from", uri, "--to", state_dir.string()});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  using store::copy_testing::DumpOrder;
  store::copy_testing::expect_same(
      store::copy_testing::dump_sqlite(original_, DumpOrder::notifications_by_id),
      store::copy_testing::dump_sqlite(store::outbox_file(state_dir), DumpOrder::notifications_by_id));
}

TEST_F(StoreCopyCommand, RefusesADestinationWithNotifications) {
  const std::filesystem::path other = dir_.path() / "other.db";
  store::copy_testing::fill_outbox(other);
  auto refused = run_kutsu({"store", "copy", "--from", original_.string(), "--to", other.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err, "kutsu store copy: the SQLite outbox " + other.string() +
                             " already holds 10 notifications; copy only into a new outbox (a new "
                             "SQLite file, or an empty PostgreSQL database)\nNothing was copied.\n");
}

TEST_F(StoreCopyCommand, ABadUrlIsAUsageError) {
  auto scheme = run_kutsu({"store", "copy", "--from", original_.string(), "--to", "mysql://db/k"});
  EXPECT_EQ(scheme.exit_code, 2);
  EXPECT_EQ(scheme.err, "kutsu store copy: --to: 'mysql://db/k' is neither a PostgreSQL URI "
                        "(postgresql://…) nor an SQLite outbox (sqlite:PATH or a file path)\n");

  auto password = run_kutsu(
      {"store", "copy", "--from", "postgresql://kutsu:hunter2@db/kutsu", "--to", "x.db"});
  EXPECT_EQ(password.exit_code, 2);
  EXPECT_THAT(password.err, HasSubstr("must not contain a password"));
  EXPECT_THAT(password.err, ::testing::Not(HasSubstr("hunter2")));

  auto same = run_kutsu({"store", "copy", "--from", original_.string(), "--to",
                         "sqlite:" + original_.string()});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_THAT(same.err, HasSubstr("are the same outbox"));

  auto missing = run_kutsu({"store", "copy", "--from", original_.string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--to is required"));
}

TEST_F(StoreCopyCommand, AnUnreachableServerIsAFailureWithTheReason) {
  auto copied = run_kutsu({"store", "copy", "--from", original_.string(), "--to",
                           "postgresql:///kutsu?host=" + (dir_.path() / "nothing").string() +
                               "&connect_timeout=2"});
  EXPECT_EQ(copied.exit_code, 1);
  EXPECT_THAT(copied.err, StartsWith("kutsu store copy: the PostgreSQL database kutsu on " +
                                     (dir_.path() / "nothing").string() +
                                     ": cannot connect to PostgreSQL"));
  EXPECT_THAT(copied.err, HasSubstr("Nothing was copied."));
}

TEST_F(StoreCopyCommand, ShowsProgressInPlaceOnATerminal) {
  // python3's pty module gives the command a terminal for stdout and stderr.
  const std::filesystem::path destination = dir_.path() / "copy.db";
  kutsu::testing::ChildProcess::Options options;
  options.argv = {"python3", "-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)",
                  KUTSU_BINARY, "store", "copy", "--from", original_.string(), "--to",
                  destination.string()};
  auto run = kutsu::testing::run(std::move(options));
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("\rcopied 10 of 10 notifications\x1b[K"));
  EXPECT_THAT(run.out, HasSubstr("\rcopied 4 of 4 attempts\x1b[K"));
  // The line is cleared before the summary.
  EXPECT_THAT(run.out, HasSubstr("\r\x1b[Kcopied 10 notifications, 4 attempts"));
}

TEST_F(StoreCopyCommand, RefusesAnSqliteOutboxWhoseDaemonAnswers) {
  // A state_dir as `kutsu serve` leaves it while serving: the outbox and the
  // admin address, on which something listens.
  const std::filesystem::path state_dir = dir_.path() / "state";
  std::filesystem::create_directory(state_dir);
  std::filesystem::copy_file(original_, store::outbox_file(state_dir));
  boost::asio::io_context io;
  auto listener = std::make_unique<boost::asio::ip::tcp::acceptor>(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const std::string address = "127.0.0.1:" + std::to_string(listener->local_endpoint().port());
  {
    std::ofstream file(state_dir / "admin-address");
    file << address << "\n";
  }
  const std::filesystem::path destination = dir_.path() / "copy.db";
  auto refused =
      run_kutsu({"store", "copy", "--from", state_dir.string(), "--to", destination.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "kutsu store copy: a kutsu serve is running on the SQLite outbox " +
                             store::outbox_file(state_dir).string() +
                             " (its admin API answers at " + address +
                             "): stop it first (systemctl stop kutsu)\nNothing was copied.\n");
  EXPECT_FALSE(std::filesystem::exists(destination));

  // The file of a daemon that was killed names a port nobody answers on.
  listener.reset();
  auto copied =
      run_kutsu({"store", "copy", "--from", state_dir.string(), "--to", destination.string()});
  EXPECT_EQ(copied.exit_code, 0) << copied.err;
}

TEST_F(StoreCopyCommand, HelpSaysWhatAUrlIs) {
  auto help = run_kutsu({"store", "copy", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--from"));
  EXPECT_THAT(help.out, HasSubstr("sqlite:PATH"));
  EXPECT_THAT(help.out, HasSubstr("postgresql://"));
  EXPECT_THAT(help.out, HasSubstr("systemctl stop kutsu"));
}

}  // namespace
}  // namespace kutsu::daemon::testing
