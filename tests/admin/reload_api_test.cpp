// POST /api/v1/reload: the report of what each file did, 200 also when a
// file is broken, 500 when the folder could not be read; and the report
// becoming the status' last_reload.
#include <gtest/gtest.h>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

namespace json = boost::json;
using kutsu::testing::HttpReply;

model::LoadReport broken_file_report() {
  model::LoadReport report;
  report.at = TestDaemonView::fixed_now();
  report.files.push_back(
      model::FileReport{"/srv/kutsu/series.d/aluevaltuutetut-2022.toml",
                        "aluevaltuutetut-2022",
                        true,
                        false,
                        false,
                        {},
                        {"verkosto removed after the invitation went out; 11 cancellations "
                         "will be sent at 2022-01-20T12:10:00Z unless the file has it again "
                         "by then"}});
  report.files.push_back(
      model::FileReport{"/srv/kutsu/series.d/rikki.toml",
                        "rikki",
                        false,
                        false,
                        true,
                        {"/srv/kutsu/series.d/rikki.toml:12:9: error: unknown key \"strat\"",
                         "/srv/kutsu/series.d/rikki.toml:14:1: error: a session needs a start"}});
  report.removed.push_back("vanha-sarja");
  return report;
}

const json::value kBrokenFileJson = json::object{
    {"at", "2022-01-20T12:00:00Z"},
    {"ok", false},
    {"error", nullptr},
    {"files",
     json::array{
         json::object{{"file", "/srv/kutsu/series.d/aluevaltuutetut-2022.toml"},
                      {"series", "aluevaltuutetut-2022"},
                      {"ok", true},
                      {"changed", false},
                      {"kept_previous", false},
                      {"errors", json::array{}},
                      {"notices",
                       json::array{"verkosto removed after the invitation went out; 11 cancellations "
                                   "will be sent at 2022-01-20T12:10:00Z unless the file has it again "
                                   "by then"}}},
         json::object{
             {"file", "/srv/kutsu/series.d/rikki.toml"},
             {"series", "rikki"},
             {"ok", false},
             {"changed", false},
             {"kept_previous", true},
             {"errors",
              json::array{"/srv/kutsu/series.d/rikki.toml:12:9: error: unknown key \"strat\"",
                          "/srv/kutsu/series.d/rikki.toml:14:1: error: a session needs a start"}},
             {"notices", json::array{}}},
     }},
    {"removed", json::array{"vanha-sarja"}},
};

TEST(ReloadApiTest, ABrokenFileIsReported200AndBecomesTheLastReload) {
  AdminHarness harness;
  harness.on_loop([](TestDaemonView& daemon) {
    daemon.set_reload_report(broken_file_report());
    return true;
  });
  auto client = harness.client();
  HttpReply reply = client.post("/api/v1/reload", AdminHarness::auth()).value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  // The answer is the report, and how the request was queued.
  json::object answer = json_body(reply).as_object();
  EXPECT_EQ(answer.at("queued"), "started");
  answer.erase("queued");
  EXPECT_EQ(answer, kBrokenFileJson);

  json::value status = json_body(client.get("/api/v1/status", AdminHarness::auth()).value());
  EXPECT_EQ(status.at("last_reload"), kBrokenFileJson);
}

TEST(ReloadApiTest, AnUnreadableFolderIs500WithTheError) {
  AdminHarness harness;
  harness.on_loop([](TestDaemonView& daemon) {
    model::LoadReport report;
    report.at = TestDaemonView::fixed_now();
    report.error = "cannot read /srv/kutsu/series.d: Permission denied";
    daemon.set_reload_report(report);
    return true;
  });
  HttpReply reply = harness.client().post("/api/v1/reload", AdminHarness::auth()).value();
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(json_body(reply),
            (json::object{{"at", "2022-01-20T12:00:00Z"},
                          {"ok", false},
                          {"error", "cannot read /srv/kutsu/series.d: Permission denied"},
                          {"files", json::array{}},
                          {"removed", json::array{}},
                          {"queued", "started"}}));
}

TEST(ReloadApiTest, ABodyIsAllowedUpToTheLimit) {
  AdminHarness harness;
  HttpReply reply = harness.client()
                        .post("/api/v1/reload", AdminHarness::auth(),
                              std::string(harness.settings().max_body_bytes, 'x'))
                        .value();
  EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 200);
}

}  // namespace
}  // namespace kutsu::admin::testing
