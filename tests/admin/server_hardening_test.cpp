// What no client can do to the admin server: hold a connection by sending
// slowly (slow loris) or idling, open more than max_connections, send
// garbage, oversized bodies or headers, or vanish half-way — each is cut off
// or answered, and the server keeps serving others. (How idle connections
// give way to new ones: connection_limits_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>

#include <boost/asio/io_context.hpp>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::HttpReply;
using kutsu::testing::RawConnection;
using Clock = std::chrono::steady_clock;

constexpr auto kHealthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// Generous upper bounds: the machine is shared and sanitizer builds are slow.
constexpr auto kSlack = 1500ms;

void expect_server_still_answers(AdminHarness& harness) {
  Result<HttpReply> got = harness.client().get("/healthz");
  ASSERT_TRUE(got.ok()) << got.error().message;
  HttpReply reply = *got;
  EXPECT_EQ(reply.status, 200);
}

TEST(ServerHardeningTest, SlowLorisIsCutOffAfterTheHeaderTimeout) {
  AdminHarness harness([](AdminSettings& settings) { settings.header_timeout = 300ms; });
  auto opened = RawConnection::open(harness.port());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  RawConnection slow = std::move(opened).value();
  const Clock::time_point start = Clock::now();
  Status first = slow.write("GET /healthz HTTP/1.1\r\nX-Slow: ");
  ASSERT_TRUE(first.ok()) << first.error().message;
  // One more header byte every 100 ms — faster than the timeout, so a server
  // that restarted its clock on each byte would never let go.
  std::optional<RawConnection::Closed> closed;
  for (int i = 0; i < 100 && !closed; ++i) {
    (void)slow.write("a");  // fails once the server has closed
    closed = slow.read_until_closed(100ms);
  }
  ASSERT_TRUE(closed) << "still open after 10 s";
  const auto after = closed->at - start;
  EXPECT_GE(after, 300ms);
  EXPECT_LT(after, 300ms + kSlack);
  EXPECT_EQ(closed->received, "");  // no answer, just closed
  expect_server_still_answers(harness);
}

TEST(ServerHardeningTest, SlowBodyIsCutOffAfterTheBodyTimeout) {
  AdminHarness harness([](AdminSettings& settings) { settings.body_timeout = 300ms; });
  RawConnection slow = RawConnection::open(harness.port()).value();
  ASSERT_TRUE(
      slow.write("POST /api/v1/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n").ok());
  const Clock::time_point start = Clock::now();
  std::optional<RawConnection::Closed> closed;
  for (int i = 0; i < 99 && !closed; ++i) {
    (void)slow.write("b");
    closed = slow.read_until_closed(100ms);
  }
  ASSERT_TRUE(closed);
  EXPECT_GE(closed->at - start, 300ms - 50ms);  // the clock started just before `start`
  EXPECT_LT(closed->at - start, 300ms + kSlack);
  EXPECT_EQ(closed->received, "");
}

TEST(ServerHardeningTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  AdminHarness harness([](AdminSettings& settings) { settings.idle_timeout = 300ms; });
  RawConnection idle = RawConnection::open(harness.port()).value();
  ASSERT_TRUE(idle.write(kHealthz).ok());
  const Clock::time_point sent = Clock::now();
  std::optional<RawConnection::Closed> closed = idle.read_until_closed(10s);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->orderly) << closed->error;
  // It answered, kept the connection open, then let it go when idle.
  EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 200 OK\r\n")) << closed->received;
  EXPECT_TRUE(closed->received.ends_with("\r\n\r\nok\n")) << closed->received;
  EXPECT_EQ(closed->received.find("Connection: close"), std::string::npos);
  EXPECT_GE(closed->at - sent, 300ms);
  EXPECT_LT(closed->at - sent, 300ms + kSlack);
}

TEST(ServerHardeningTest, ConnectionsOverTheCapAreClosedAtOnceWhileTheOthersWork) {
  AdminHarness harness([](AdminSettings& settings) { settings.max_connections = 4; });
  std::vector<RawConnection> open;
  // Four connections each mid-request: none is idle, so none can make room.
  for (int i = 0; i < 4; ++i) {
    open.push_back(RawConnection::open(harness.port()).value());
    ASSERT_TRUE(open.back().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").ok());
  }
  // The first four are accepted before the fifth (accept order), so this
  // one finds the server full.
  RawConnection fifth = RawConnection::open(harness.port()).value();
  std::optional<RawConnection::Closed> refused = fifth.read_until_closed(5s);
  ASSERT_TRUE(refused) << "the fifth connection stayed open";
  EXPECT_EQ(refused->received, "");

  for (RawConnection& connection : open) {
    ASSERT_TRUE(connection.write("Connection: close\r\n\r\n").ok());
    std::optional<RawConnection::Closed> closed = connection.read_until_closed(10s);
    ASSERT_TRUE(closed);
    EXPECT_NE(closed->received.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << closed->received;
    EXPECT_TRUE(closed->received.ends_with("ok\n")) << closed->received;
  }
}

TEST(ServerHardeningTest, GarbageGets400AndTheServerAnswersTheNextClient) {
  AdminHarness harness;
  for (std::string_view garbage :
       {std::string_view("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n"),
        std::string_view("GET /healthz HTTP/9.9\r\n\r\n"),
        std::string_view("GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n"),
        std::string_view("POST /api/v1/reload HTTP/1.1\r\nContent-Length: abc\r\n\r\n")}) {
    SCOPED_TRACE(garbage);
    RawConnection raw = RawConnection::open(harness.port()).value();
    ASSERT_TRUE(raw.write(garbage).ok());
    std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
    ASSERT_TRUE(closed);
    EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 400 Bad Request\r\n")) << closed->received;
    EXPECT_NE(closed->received.find("{\"error\":\"malformed request: "), std::string::npos);
    expect_server_still_answers(harness);
  }
}

TEST(ServerHardeningTest, BodyOverTheLimitIs413AndCloses) {
  AdminHarness harness;
  auto client = harness.client();
  HttpReply reply = client
                        .post("/api/v1/reload", AdminHarness::auth(),
                              std::string(harness.settings().max_body_bytes + 1, 'x'))
                        .value();
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(json_body(reply), (boost::json::object{{"error", "request body over 1048576 bytes"}}));
  EXPECT_FALSE(reply.keep_alive);
  expect_server_still_answers(harness);
}

TEST(ServerHardeningTest, ChunkedBodyOverTheLimitIs413) {
  AdminHarness harness([](AdminSettings& settings) { settings.max_body_bytes = 1000; });
  RawConnection raw = RawConnection::open(harness.port()).value();
  std::string request =
      "POST /api/v1/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "1f4\r\n" + std::string(500, 'y') + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(raw.write(request).ok());
  std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 413 Payload Too Large\r\n"))
      << closed->received;
}

TEST(ServerHardeningTest, HugeHeadersAre431) {
  AdminHarness harness;
  RawConnection raw = RawConnection::open(harness.port()).value();
  Status w = raw.write("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'h') + "\r\n\r\n");
  ASSERT_TRUE(w.ok()) << w.error().message;
  std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->received.starts_with("HTTP/1.1 431 "));
  expect_server_still_answers(harness);
}

TEST(ServerHardeningTest, ClientsLeavingMidRequestLeaveNothingBehind) {
  // Under ASan/LSan a leaked session or buffer fails the run at exit.
  AdminHarness harness;
  for (std::string_view partial :
       {std::string_view("GET /api/v1/sta"), std::string_view("GET /healthz HTTP/1.1\r\nHo"),
        std::string_view("POST /api/v1/reload HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")}) {
    RawConnection raw = RawConnection::open(harness.port()).value();
    ASSERT_TRUE(raw.write(partial).ok());
    raw.close();
  }
  // Or after the request, before reading the answer.
  for (int i = 0; i < 20; ++i) {
    RawConnection raw = RawConnection::open(harness.port()).value();
    ASSERT_TRUE(raw.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").ok());
    raw.close();
  }
  expect_server_still_answers(harness);
}

TEST(ServerHardeningTest, StopClosesOpenConnectionsAndTheListener) {
  AdminHarness harness;
  RawConnection idle = RawConnection::open(harness.port()).value();
  ASSERT_TRUE(idle.write(kHealthz).ok());
  harness.stop_server();
  std::optional<RawConnection::Closed> closed = idle.read_until_closed(10s);
  ASSERT_TRUE(closed) << "the kept-alive connection stayed open";
  EXPECT_FALSE(RawConnection::open(harness.port()).ok());
}

TEST(AdminServerStartTest, APortInUseIsAnError) {
  AdminHarness harness;
  boost::asio::io_context io;
  TempDir dir;
  TestDaemonView daemon(io, dir.path());
  AdminSettings settings;
  settings.listen = ListenAddress{"127.0.0.1", harness.port()};
  settings.token = "t";
  AdminServer second(io, daemon, settings);
  Status started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.error().message.starts_with(
      "cannot listen on 127.0.0.1:" + std::to_string(harness.port()) + ": "))
      << started.error().message;
  EXPECT_EQ(second.port(), 0);
}

TEST(AdminServerStartTest, ANonLoopbackAddressWithoutATokenIsRefused) {
  boost::asio::io_context io;
  TempDir dir;
  TestDaemonView daemon(io, dir.path());
  AdminSettings settings;
  settings.listen = ListenAddress{"0.0.0.0", 0};
  AdminServer server(io, daemon, settings);
  Status started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().message,
            "refusing to serve the admin API on 0.0.0.0:0 without a token: it is not a loopback "
            "address");
}

}  // namespace
}  // namespace kutsu::admin::testing
