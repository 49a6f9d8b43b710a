// The connection table of issue #10: idle keep-alive connections, however
// many, never lock /healthz out. A new connection that does not fit closes
// the idlest one (the client's own when the client is at its limit), is
// refused only when nothing is idle, and a crowded table sheds idle
// connections by itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "tests/admin/admin_harness.h"
#include "tests/admin/idle_clients.h"

namespace kutsu::admin::testing {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::RawConnection;
using Clock = std::chrono::steady_clock;

// Generous upper bounds: the machine is shared and sanitizer builds are slow.
constexpr auto kSlack = 1500ms;

// Half a request: a connection that is mid-request, not idle.
constexpr std::string_view kHalfRequest = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";

// 80 probes of /healthz on new connections (from `source`), as a monitoring
// check makes them: each must be answered within a second. Prints the spread
// for the record.
void expect_healthz_answers(std::uint16_t port, const std::string& under,
                            const std::string& source = "127.0.0.1") {
  Probes probes = probe_healthz(port, 80, 1s, source);
  std::cout << "/healthz under " << under << ": " << probes.summary(1s) << "\n";
  EXPECT_EQ(probes.answered(), 80) << probes.first_error;
}

// Every connection still open is newer than every one closed: the idlest went first.
void expect_only_the_idlest_closed(IdleClients& clients) {
  const std::vector<std::size_t> open = clients.open_ones();
  ASSERT_FALSE(open.empty());
  const std::size_t first_open = open.front();
  EXPECT_EQ(open.size(), clients.size() - first_open)
      << "connections " << first_open << "… are not all open";
  for (std::size_t i = 0; i < first_open; ++i) EXPECT_TRUE(clients.closed(i)) << i;
}

class ConnectionLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(raise_file_limit(1200).ok()); }
};

TEST_F(ConnectionLimitsTest, HealthzAnswersWithinASecondUnder500IdleConnectionsOfOneClient) {
  AdminHarness harness;  // the defaults: 512 in all, 32 per client
  IdleClients idle(harness.port());
  Status opened = idle.open(500);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  expect_healthz_answers(harness.port(), "500 idle connections of one client");
  // The client kept its newest connections, at most its share of the table.
  EXPECT_LE(idle.open_ones().size(), harness.settings().max_connections_per_client);
  expect_only_the_idlest_closed(idle);
}

TEST_F(ConnectionLimitsTest, HealthzAnswersWithinASecondWhen500IdleConnectionsOverfillTheTable) {
  // The table of the issue (256), and 20 clients that stay within their share.
  AdminHarness harness([](AdminSettings& settings) { settings.max_connections = 256; });
  IdleClients idle(harness.port());
  for (int client = 2; client < 22; ++client) {
    Status opened = idle.open(25, "127.0.0." + std::to_string(client));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
  }
  expect_healthz_answers(harness.port(), "500 idle connections of 20 clients, 256 at most");
  EXPECT_LE(idle.open_ones().size(), 256u);
  expect_only_the_idlest_closed(idle);
}

// Small tables are crowded (over 3/4 full) at once; a long busy_idle_timeout
// keeps that out of the tests that are not about it.
void small_table(AdminSettings& settings, std::size_t size) {
  settings.max_connections = size;
  settings.max_connections_per_client = size;
  settings.busy_idle_timeout = 60s;
}

TEST_F(ConnectionLimitsTest, AFullTableClosesTheIdlestConnectionNotTheNewest) {
  AdminHarness harness([](AdminSettings& settings) { small_table(settings, 4); });
  IdleClients idle(harness.port());
  ASSERT_TRUE(idle.open(4).ok());
  // The table is full: number 4 takes the place of number 0, the idlest…
  ASSERT_TRUE(idle.open(1).ok());
  EXPECT_TRUE(idle.wait_closed(0, 5s));
  EXPECT_EQ(idle.open_ones(), (std::vector<std::size_t>{1, 2, 3, 4}));
  // …and number 5 that of number 1, now the idlest.
  ASSERT_TRUE(idle.open(1).ok());
  EXPECT_TRUE(idle.wait_closed(1, 5s));
  EXPECT_EQ(idle.open_ones(), (std::vector<std::size_t>{2, 3, 4, 5}));
}

TEST_F(ConnectionLimitsTest, AConnectionMidRequestIsNotClosedToMakeRoom) {
  AdminHarness harness([](AdminSettings& settings) { small_table(settings, 3); });
  IdleClients clients(harness.port());
  // Number 0 is the idlest, but mid-request; number 1 is the one to go.
  ASSERT_TRUE(clients.open_busy(std::string(kHalfRequest)).ok());
  ASSERT_TRUE(clients.open(2).ok());
  ASSERT_TRUE(probe_healthz(harness.port(), 5s));
  EXPECT_TRUE(clients.wait_closed(1, 5s));
  EXPECT_EQ(clients.open_ones(), (std::vector<std::size_t>{0, 2}));
}

TEST_F(ConnectionLimitsTest, AClientAtItsLimitLosesItsOwnIdlestConnection) {
  AdminHarness harness([](AdminSettings& settings) {
    small_table(settings, 16);
    settings.max_connections_per_client = 4;
  });
  IdleClients idle(harness.port());
  ASSERT_TRUE(idle.open(4, "127.0.0.3").ok());  // 0–3: the idlest of all, another client's
  ASSERT_TRUE(idle.open(4, "127.0.0.2").ok());  // 4–7
  ASSERT_TRUE(idle.open(1, "127.0.0.2").ok());  // 8: one over its limit
  EXPECT_TRUE(idle.wait_closed(4, 5s));
  EXPECT_EQ(idle.open_ones(), (std::vector<std::size_t>{0, 1, 2, 3, 5, 6, 7, 8}));
}

TEST_F(ConnectionLimitsTest, AClientAtItsLimitWithNothingIdleIsRefusedAndOthersAreNot) {
  AdminHarness harness([](AdminSettings& settings) {
    small_table(settings, 16);
    settings.max_connections_per_client = 2;
  });
  IdleClients busy(harness.port());
  ASSERT_TRUE(busy.open_busy(std::string(kHalfRequest), "127.0.0.2").ok());
  ASSERT_TRUE(busy.open_busy(std::string(kHalfRequest), "127.0.0.2").ok());
  Result<std::chrono::microseconds> refused = probe_healthz(harness.port(), 5s, "127.0.0.2");
  EXPECT_FALSE(refused) << "a third connection of 127.0.0.2 was served";
  EXPECT_TRUE(probe_healthz(harness.port(), 5s, "127.0.0.3"));
  EXPECT_EQ(busy.open_ones(), (std::vector<std::size_t>{0, 1}));
}

TEST_F(ConnectionLimitsTest, ACrowdedTableClosesLongIdleConnectionsAtOnce) {
  AdminHarness harness([](AdminSettings& settings) {
    small_table(settings, 8);
    settings.idle_timeout = 60s;
    settings.busy_idle_timeout = 300ms;
  });
  IdleClients idle(harness.port());
  ASSERT_TRUE(idle.open(6).ok());  // 3/4 of the table: not crowded yet
  // Nothing is closed while there is room (a bounded wait for what must not happen).
  EXPECT_FALSE(idle.wait_closed(0, 900ms));
  const Clock::time_point crowded = Clock::now();
  ASSERT_TRUE(idle.open(1).ok());  // 7 of 8: crowded
  // Number 0 has been idle for over 300 ms already: it goes at once, and
  // with it the crowding, so the others stay.
  std::optional<Clock::time_point> closed = idle.wait_closed(0, 5s);
  ASSERT_TRUE(closed);
  EXPECT_LT(*closed - crowded, kSlack);
  EXPECT_FALSE(idle.wait_closed(1, 900ms));
  EXPECT_EQ(idle.open_ones(), (std::vector<std::size_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(ConnectionLimitsTest, InACrowdedTableAnIdleConnectionLastsTheBusyIdleTimeout) {
  AdminHarness harness([](AdminSettings& settings) {
    small_table(settings, 4);
    settings.idle_timeout = 60s;
    settings.busy_idle_timeout = 300ms;
  });
  IdleClients idle(harness.port());
  const Clock::time_point start = Clock::now();  // before number 0 went idle
  ASSERT_TRUE(idle.open(4).ok());                // crowded from the fourth on
  std::optional<Clock::time_point> closed = idle.wait_closed(0, 5s);
  ASSERT_TRUE(closed);
  EXPECT_GE(*closed - start, 300ms);
  EXPECT_LT(*closed - start, 300ms + kSlack);
  // Down to 3 of 4, which is not crowded: the rest keep their 60 s.
  EXPECT_FALSE(idle.wait_closed(1, 900ms));
  EXPECT_EQ(idle.open_ones(), (std::vector<std::size_t>{1, 2, 3}));
}

// RFC 9112 6.1/6.3: a request whose body length two parsers could read
// differently is refused before its body is read, and nothing after it on
// the connection is taken for a request (no smuggling).
TEST_F(ConnectionLimitsTest, AmbiguousTransferEncodingIs400AndCloses) {
  AdminHarness harness;
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string body = "0\r\n\r\n" + smuggled;
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  struct Case {
    std::string headers;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"Transfer-Encoding: xchunked\r\n" + length, "Transfer-Encoding beside Content-Length"},
      {"Transfer-Encoding: chunked\r\n" + length, ""},  // Beast's own check
      {length + "Transfer-Encoding: xchunked\r\n", ""},
      {"Transfer-Encoding: xchunked\r\n", "Transfer-Encoding other than chunked"},
      {"Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding other than chunked"},
      {"Transfer-Encoding: xchunked\r\nTransfer-Encoding: chunked\r\n",
       "Transfer-Encoding other than chunked"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.headers);
    RawConnection raw = RawConnection::open(harness.port()).value();
    ASSERT_TRUE(
        raw.write("POST /api/v1/reload HTTP/1.1\r\nHost: x\r\n" + test.headers + "\r\n" + body)
            .ok());
    std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
    ASSERT_TRUE(closed) << "still open";
    EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 400 Bad Request\r\n")) << closed->received;
    EXPECT_NE(closed->received.find("{\"error\":\"malformed request: " + test.why),
              std::string::npos)
        << closed->received;
    EXPECT_EQ(closed->received.find("HTTP/1.1", 1), std::string::npos)
        << "a second answer: " << closed->received;
  }

  RawConnection old = RawConnection::open(harness.port()).value();
  ASSERT_TRUE(
      old.write("POST /api/v1/reload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + body).ok());
  std::optional<RawConnection::Closed> closed = old.read_until_closed(10s);
  ASSERT_TRUE(closed);
  EXPECT_NE(closed->received.find("Transfer-Encoding in an HTTP/1.0 request"), std::string::npos)
      << closed->received;
}

TEST_F(ConnectionLimitsTest, ChunkedAloneIsStillServed) {
  AdminHarness harness;
  RawConnection raw = RawConnection::open(harness.port()).value();
  ASSERT_TRUE(raw.write("POST /api/v1/reload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        std::string(kToken) +
                        "\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
                  .ok());
  std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 200 OK\r\n")) << closed->received;
}

}  // namespace
}  // namespace kutsu::admin::testing
