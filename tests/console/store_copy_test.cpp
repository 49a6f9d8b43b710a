// What `kutsu store copy` shows: digits grouped, the summary line with a
// noun per table, the progress line on a terminal only; and its refusal of
// an SQLite outbox whose daemon's admin API answers.
#include <gtest/gtest.h>

#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "console/admin_address_file.h"
#include "console/store_copy.h"
#include "tests/config/config_test_support.h"

namespace kutsu::console {
namespace {

using config::testing::ConfigDir;

store::OutboxLocation sqlite(std::filesystem::path file) {
  return store::OutboxLocation{store::OutboxLocation::Kind::sqlite, std::move(file), ""};
}

TEST(StoreCopyOutput, DigitsAreGroupedByThousands) {
  EXPECT_EQ(grouped(0), "0");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(1000), "1,000");
  EXPECT_EQ(grouped(1234567), "1,234,567");
  EXPECT_EQ(grouped(-1234567), "-1,234,567");
}

TEST(StoreCopyOutput, TheSummaryNamesEachTablesRowsSingularOrPlural) {
  store::CopySummary copied;
  copied.tables = {{"notifications", 1000000}, {"attempts", 1},        {"series_versions", 2},
                   {"session_versions", 1},    {"opt_outs", 0},        {"settings", 1},
                   {"plan_generation", 1}};
  EXPECT_EQ(copy_summary(copied, sqlite("/a/kutsu.db"), sqlite("/b/kutsu.db")),
            "copied 1,000,000 notifications, 1 attempt, 2 series versions, 1 session version, "
            "0 opt-outs, 1 setting from the SQLite outbox /a/kutsu.db to the SQLite outbox "
            "/b/kutsu.db");
}

TEST(StoreCopyOutput, TheProgressLineIsRewrittenInPlaceAndCleared) {
  std::ostringstream out;
  {
    CopyProgressLine line(out, true);
    line.show({"notifications", 5000, 1234567});
    line.show({"session_versions", 0, 0});  // no rows: nothing to show
    line.show({"session_versions", 3, 3});
  }  // cleared on destruction
  EXPECT_EQ(out.str(),
            "\rcopied 5,000 of 1,234,567 notifications\x1b[K"
            "\rcopied 3 of 3 session versions\x1b[K"
            "\r\x1b[K");
}

TEST(StoreCopyOutput, NoProgressLineWhenNotATerminal) {
  std::ostringstream out;
  CopyProgressLine line(out, false);
  line.show({"notifications", 5000, 10000});
  line.end();
  EXPECT_EQ(out.str(), "");
}

TEST(RefuseServingDaemon, AnAddressThatAnswersMeansARunningDaemon) {
  ConfigDir dir;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::uint16_t port = acceptor.local_endpoint().port();
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", port}));
  const store::OutboxLocation outbox = sqlite(dir.path() / "kutsu.db");
  Status refused = refuse_serving_daemon(outbox);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, "a kutsu serve is running on " + outbox.describe() +
                                         " (its admin API answers at 127.0.0.1:" +
                                         std::to_string(port) +
                                         "): stop it first (systemctl stop kutsu)");
}

TEST(RefuseServingDaemon, AnAddressLeftBehindByAGoneDaemonPasses) {
  ConfigDir dir;
  std::uint16_t port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(
        io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }  // closed: nobody answers there now
  ASSERT_TRUE(write_admin_address(dir.path(), ListenAddress{"127.0.0.1", port}));
  EXPECT_TRUE(refuse_serving_daemon(sqlite(dir.path() / "kutsu.db")));
}

TEST(RefuseServingDaemon, NoAddressFileOrAnUnreadableOnePasses) {
  ConfigDir dir;
  EXPECT_TRUE(refuse_serving_daemon(sqlite(dir.path() / "kutsu.db")));
  dir.write("admin-address", "not an address\n");
  EXPECT_TRUE(refuse_serving_daemon(sqlite(dir.path() / "kutsu.db")));
}

TEST(RefuseServingDaemon, PostgreSqlIsLeftToTheCopy) {
  store::OutboxLocation pg{store::OutboxLocation::Kind::postgresql, {}, "postgresql://x@h/db"};
  EXPECT_TRUE(refuse_serving_daemon(pg));
}

}  // namespace
}  // namespace kutsu::console
