// The admin API of `kutsu serve` on PostgreSQL (issue #14): the status
// lists the nodes sharing the database with their heartbeats and series
// versions and names those whose versions differ; the outbox routes answer
// from PostgreSQL; /healthz answers 503 while the database is down.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/daemon/serve_pg_support.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/postgres_cluster.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::HttpClient;
namespace json = boost::json;

json::value get_json(int port, const std::string& target) {
  HttpClient client(port);
  Result<kutsu::testing::HttpReply> reply =
      client.get(target, HttpClient::bearer(testing::PgNodes::kToken));
  EXPECT_TRUE(reply.ok()) << (reply.ok() ? "" : reply.error().message);
  if (!reply.ok()) return nullptr;
  EXPECT_EQ(reply->status, 200) << target << ": " << reply->body;
  return json::parse(reply->body);
}

int healthz(int port) {
  HttpClient client(port);
  Result<kutsu::testing::HttpReply> reply = client.get("/healthz");
  return reply.ok() ? reply->status : -1;
}

TEST(ServePgAdminTest, StatusListsTheNodesAndNamesThoseWithOtherVersions) {
  testing::PgNodes nodes;
  const testing::Instant start = testing::seconds_from_now(std::chrono::hours(2));
  const std::string older = testing::series_toml({{"eka", start}}, "PT1H");
  const std::string csv = testing::participants_csv(100);
  nodes.add_node("a", {{"pian.toml", older + "\n# a newer copy\n"}, {"pian.csv", csv}});
  nodes.add_node("b", {{"pian.toml", older}, {"pian.csv", csv}});
  testing::ServeProcess& a = nodes.start("a");
  nodes.start("b");

  const json::value status = get_json(a.admin_port(), "/api/v1/status");
  EXPECT_EQ(status.at("node"), "a");
  const json::array& listed = status.at("nodes").as_array();
  ASSERT_EQ(listed.size(), 2u) << status;
  EXPECT_EQ(listed[0].at("name"), "a");
  EXPECT_EQ(listed[0].at("this_node"), true);
  EXPECT_EQ(listed[1].at("name"), "b");
  EXPECT_TRUE(listed[1].at("heartbeat_at").is_string());
  EXPECT_EQ(listed[1].at("series_versions").as_object().size(), 1u);
  EXPECT_NE(listed[0].at("series_versions").at("pian"), listed[1].at("series_versions").at("pian"));
  EXPECT_EQ(status.at("nodes_with_other_versions"), (json::array{"b"}));
  EXPECT_EQ(status.at("counts").at("pending"), 200);
  EXPECT_EQ(status.at("store").at("ok"), true);

  const json::value page = get_json(a.admin_port(), "/api/v1/notifications?limit=5");
  EXPECT_EQ(page.at("notifications").as_array().size(), 5u);
  EXPECT_TRUE(page.at("next").is_string());
  const json::value series = get_json(a.admin_port(), "/api/v1/series/pian");
  EXPECT_EQ(series.at("counts").at("pending"), 200);
  EXPECT_EQ(healthz(a.admin_port()), 200);
  for (const std::string name : {"a", "b"}) {
    EXPECT_EQ(nodes.node(name).terminate(), 0) << nodes.node(name).process().stdout_text();
  }
}

TEST(ServePgAdminTest, HealthzAnswers503WhileThePostgreSQLServerIsDown) {
  testing::PgNodes nodes;
  const testing::Instant start = testing::seconds_from_now(std::chrono::hours(2));
  nodes.add_node("a", {{"pian.toml", testing::series_toml({{"eka", start}}, "PT1H")},
                       {"pian.csv", testing::participants_csv(10)}});
  testing::ServeProcess& a = nodes.start("a");
  EXPECT_EQ(healthz(a.admin_port()), 200);

  kutsu::testing::PostgresCluster& cluster = kutsu::testing::PostgresCluster::shared();
  cluster.stop();
  EXPECT_TRUE(a.wait_for("connection to PostgreSQL was lost", 15s)) << a.process().stdout_text();
  EXPECT_EQ(healthz(a.admin_port()), 503);
  cluster.start();
  a.terminate();
}

}  // namespace
}  // namespace kutsu::daemon
