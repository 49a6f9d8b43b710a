// Fault drill (label `drill`), hostile admin clients beside those of
// server_hardening_test.cpp and connection_limits_test.cpp: paths that try
// to leave /series/, HTTP/1.0, and several requests pipelined in one write.
// Each gets a fitting status; the server answers the next client.
#include <gtest/gtest.h>

#include <string>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::RawConnection;

// Everything the server sends for `request` on a fresh connection.
std::string conversation(const AdminHarness& harness, const std::string& request) {
  RawConnection raw = RawConnection::open(harness.port()).value();
  EXPECT_TRUE(raw.write(request).ok());
  std::optional<RawConnection::Closed> closed = raw.read_until_closed(10s);
  EXPECT_TRUE(closed) << "still open after: " << request;
  return closed ? closed->received : raw.received();
}

TEST(HostileClientsDrill, PathsThatTryToLeaveSeriesFindNoFeedAndNoFile) {
  AdminHarness harness;
  auto client = harness.client();
  for (const std::string target :
       {"/series/..%2F..%2F..%2Fetc%2Fpasswd.ics", "/series/%2E%2E%2Fapi%2Fv1%2Fstatus.ics",
        "/series/..%5C..%5Cwindows.ics", "/series/%00.ics",
        "/series/aluevaltuutetut-2022%2F..%2F..%2Fkutsu.db.ics"}) {
    SCOPED_TRACE(target);
    const auto reply = client.get(target).value();
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.body.find("root:"), std::string::npos);
    EXPECT_EQ(reply.header("content-type"), "application/json");
  }
  // Dot segments in the request line itself are not normalised into /api.
  const std::string raw =
      conversation(harness, "GET /series/../api/v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 404 Not Found\r\n")) << raw;
  EXPECT_EQ(client.get("/healthz").value().status, 200);
}

// Answered as HTTP/1.1 (RFC 9110 6.2: a server sends its own version) and
// closed, since a 1.0 client without keep-alive expects the close.
TEST(HostileClientsDrill, Http10IsAnsweredAndClosed) {
  AdminHarness harness;
  const std::string raw = conversation(harness, "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200 OK\r\n")) << raw;
  EXPECT_NE(raw.find("\r\nConnection: close\r\n"), std::string::npos) << raw;
  EXPECT_TRUE(raw.ends_with("\r\n\r\nok\n")) << raw;
  const std::string api = conversation(harness, "GET /api/v1/status HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(api.starts_with("HTTP/1.1 401 Unauthorized\r\n")) << api;
}

TEST(HostileClientsDrill, PipelinedRequestsAreAnsweredInOrder) {
  AdminHarness harness;
  const std::string token = "Authorization: Bearer " + std::string(kToken) + "\r\n";
  const std::string raw = conversation(
      harness, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /no/such/thing HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /api/v1/series HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"
               "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::vector<std::string> statuses;
  // No body here contains a status line, so each one starts an answer.
  for (std::size_t at = raw.find("HTTP/1.1 "); at != std::string::npos;
       at = raw.find("HTTP/1.1 ", at + 1)) {
    statuses.push_back(raw.substr(at + 9, 3));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"200", "404", "200", "405", "200"})) << raw;
}

}  // namespace
}  // namespace kutsu::admin::testing
