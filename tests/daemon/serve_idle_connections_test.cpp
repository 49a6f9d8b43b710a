// Issue #10, against the real `kutsu serve`: 500 keep-alive connections that
// each sent one request and then nothing (once from one client under the
// default limits, once from a "proxy" — one address allowed the whole table —
// into a table of 256) must not lock anyone out: 80 /healthz probes on new
// connections are each answered within a second. Before idle connections
// gave way, 0 of 80 were.
#include <gtest/gtest.h>

#include <iostream>

#include "tests/admin/idle_clients.h"
#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using admin::testing::IdleClients;
using admin::testing::Probes;
using testing::ServeProcess;

class ServeIdleConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 500 idle connections and the probes, here and (inherited) in the daemon.
    Status raised = admin::testing::raise_file_limit(1200);
    ASSERT_TRUE(raised.ok()) << raised.error().message;
    // A series with nothing due during the test, so that the daemon has a
    // catalog and an outbox to serve as in production.
    dir_.write("series.d/pian.csv", testing::participants_csv(3));
    dir_.write("series.d/pian.toml",
               testing::series_toml({{"eka", testing::seconds_from_now(2h)}}, "PT1H"));
  }

  std::filesystem::path write_config(std::string_view http_extra) {
    return dir_.write("kutsu.toml",
                      "[daemon]\nseries_dir = \"" + (dir_.path() / "series.d").string() +
                          "\"\nstate_dir = \"" + (dir_.path() / "state").string() +
                          "\"\n\n[http]\nlisten = \"127.0.0.1:0\"\n" + std::string(http_extra));
  }

  // Opens 500 idle connections, then probes; both go on after a failure so
  // that the count says how bad it is.
  void expect_healthz_answers_under_500_idle(ServeProcess& serve, const std::string& under) {
    ASSERT_NE(serve.admin_port(), 0) << serve.process().stdout_text();
    const auto port = static_cast<std::uint16_t>(serve.admin_port());
    IdleClients idle(port);
    Status opened = idle.open(500);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    Probes probes = admin::testing::probe_healthz(port, 80, 1s);
    std::cout << "kutsu serve, /healthz under " << under << " (" << idle.size()
              << " opened): " << probes.summary(1s) << "\n";
    EXPECT_EQ(probes.answered(), 80) << probes.first_error;
    EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
  }

  testing::TempDir dir_;
};

TEST_F(ServeIdleConnectionsTest, HealthzAnswersWithinASecondUnder500IdleConnections) {
  ServeProcess serve(write_config(""));  // every [http] limit at its default
  expect_healthz_answers_under_500_idle(serve, "500 idle connections of one client");
}

TEST_F(ServeIdleConnectionsTest, HealthzAnswersWithinASecondWhenAProxyOverfillsTheTable) {
  // A reverse proxy on loopback is one client, so it may hold the whole
  // table; and the table is the 256, which 500 overfill.
  ServeProcess serve(write_config("max_connections = 256\nmax_connections_per_client = 256\n"));
  expect_healthz_answers_under_500_idle(serve, "500 idle connections of a proxy, 256 at most");
}

}  // namespace
}  // namespace kutsu::daemon
