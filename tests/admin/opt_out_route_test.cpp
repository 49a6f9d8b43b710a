// GET and POST /u/{value}: the page in the participant's language, the
// RFC 8058 one-click POST, "stop everything", refusal of any value the
// daemon's key did not make, and the rate limit; GET /api/v1/opt-outs.
#include <gtest/gtest.h>

#include <string>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

constexpr std::string_view kSeries = "aluevaltuutetut-2022";
constexpr std::string_view kFinn = "aino.virtanen@example.org";   // language fi
constexpr std::string_view kSwede = "elin.lindqvist@example.org";  // language sv

class OptOutRoute : public ::testing::Test {
 protected:
  // The path of the link the daemon's key makes for `recipient`.
  std::string path_for(std::string_view recipient) {
    return harness_.on_loop([&](TestDaemonView& daemon) {
      return "/u/" + daemon.opt_out_links()->value(kSeries, recipient);
    });
  }
  // Pending and retrying reminders to `recipient`.
  std::size_t reminders_open_for(std::string_view recipient) {
    return harness_.on_loop([&](TestDaemonView& daemon) {
      std::size_t open = 0;
      store::NotificationQuery query;
      query.series_id = std::string(kSeries);
      query.limit = 1000;
      for (;;) {
        store::NotificationPage page = daemon.outbox().list(query).value();
        for (const store::NotificationRow& row : page.rows) {
          if (row.recipient == recipient && row.kind == "reminder" &&
              (row.state == store::NotificationState::pending ||
               row.state == store::NotificationState::retrying)) {
            ++open;
          }
        }
        if (!page.next_cursor) break;
        query.after = page.next_cursor;
      }
      return open;
    });
  }
  std::vector<store::OptOut> opt_outs() {
    return harness_.on_loop(
        [](TestDaemonView& daemon) { return daemon.outbox().opt_outs().value(); });
  }

  AdminHarness harness_;
};

TEST_F(OptOutRoute, GetShowsThePageInTheParticipantsLanguageAndChangesNothing) {
  auto client = harness_.client();  // no token
  const auto finnish = client.get(path_for(kFinn)).value();
  ASSERT_EQ(finnish.status, 200) << finnish.body;
  EXPECT_EQ(finnish.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(finnish.header("referrer-policy"), "no-referrer");
  EXPECT_NE(finnish.body.find("<html lang=\"fi\">"), std::string::npos);
  EXPECT_NE(finnish.body.find("Osoitteeseen <strong>aino.virtanen@example.org</strong> tulee "
                              "muistutuksia sarjan <strong>Uusien aluevaltuutettujen "
                              "webinaarisarja</strong> tilaisuuksista."),
            std::string::npos)
      << finnish.body;
  EXPECT_NE(finnish.body.find("name=\"scope\" value=\"reminders\""), std::string::npos);
  EXPECT_NE(finnish.body.find("name=\"scope\" value=\"all\""), std::string::npos);

  const auto swedish = client.get(path_for(kSwede)).value();
  EXPECT_NE(swedish.body.find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(swedish.body.find("Avsluta påminnelserna"), std::string::npos);
  EXPECT_TRUE(opt_outs().empty());
}

TEST_F(OptOutRoute, OneClickPostStopsThatPersonsRemindersOnly) {
  const std::size_t before = reminders_open_for(kFinn);
  ASSERT_GT(before, 0u);
  const std::size_t others = reminders_open_for(kSwede);
  auto reply = harness_.client()
                   .post(path_for(kFinn),
                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                         "List-Unsubscribe=One-Click")
                   .value();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find("Valmis. Osoitteeseen <strong>aino.virtanen@example.org</strong> ei "
                            "enää tule muistutuksia"),
            std::string::npos)
      << reply.body;
  EXPECT_EQ(reminders_open_for(kFinn), 0u);
  EXPECT_EQ(reminders_open_for(kSwede), others);
  const std::vector<store::OptOut> recorded = opt_outs();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].series_id, kSeries);
  EXPECT_EQ(recorded[0].recipient, kFinn);
  EXPECT_EQ(recorded[0].scope, store::OptOutScope::reminders);
}

TEST_F(OptOutRoute, TheSecondButtonStopsEverything) {
  auto reply = harness_.client().post(path_for(kSwede), {}, "scope=all").value();
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("får inte längre meddelanden från serien"), std::string::npos);
  ASSERT_EQ(opt_outs().size(), 1u);
  EXPECT_EQ(opt_outs()[0].scope, store::OptOutScope::all);
}

TEST_F(OptOutRoute, AForgedOrAlteredValueIsRefusedAndRecordsNothing) {
  const std::string good = path_for(kFinn);
  const std::string value = good.substr(3);
  const std::string mac = value.substr(value.find('.'));
  // Another address under the first one's MAC; a changed character; a value
  // made with another key; no value at all.
  const std::string other_subject = path_for(kSwede).substr(3);
  const std::string swapped = other_subject.substr(0, other_subject.find('.')) + mac;
  std::string flipped = value;
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  const std::string foreign =
      model::OptOutLinks("https://kutsu.example.org", "another key").value(kSeries, kFinn);
  auto client = harness_.client();
  for (const std::string& bad : {swapped, flipped, foreign, std::string("x"), std::string("..")}) {
    SCOPED_TRACE(bad);
    const auto posted = client.post("/u/" + bad, {}, "List-Unsubscribe=One-Click").value();
    EXPECT_EQ(posted.status, 404);
    EXPECT_NE(posted.body.find("This link is not valid."), std::string::npos);
    EXPECT_EQ(client.get("/u/" + bad).value().status, 404);
  }
  EXPECT_TRUE(opt_outs().empty());
}

TEST_F(OptOutRoute, OtherMethodsAreRefusedWithBothAllowed) {
  kutsu::testing::HttpRequestSpec put;
  put.method = "PUT";
  put.target = path_for(kFinn);
  const auto reply = harness_.client().send(put).value();
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("allow"), "GET, POST");
}

TEST_F(OptOutRoute, ABurstBeyondTheLimitGets429WithRetryAfter) {
  auto client = harness_.client();
  const std::string path = path_for(kFinn);
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 200 && limited == 0; ++i) {
    const auto reply = client.get(path).value();
    if (reply.status == 429) {
      ++limited;
      retry_after = reply.header("retry-after");
    } else {
      ASSERT_EQ(reply.status, 200);
    }
  }
  EXPECT_EQ(limited, 1);
  EXPECT_EQ(retry_after, "1");
}

TEST_F(OptOutRoute, TheApiListsOptOutsWithTheToken) {
  auto client = harness_.client();
  ASSERT_EQ(client.post(path_for(kFinn), {}, "List-Unsubscribe=One-Click").value().status, 200);
  EXPECT_EQ(client.get("/api/v1/opt-outs").value().status, 401);
  const auto all = client.get("/api/v1/opt-outs", AdminHarness::auth()).value();
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(json_body(all),
            boost::json::parse(R"({"opt_outs": [{"series": "aluevaltuutetut-2022",
                 "recipient": "aino.virtanen@example.org", "scope": "reminders",
                 "at": "2022-01-20T12:00:00Z"}]})"));
  const auto none = client.get("/api/v1/opt-outs?series=other", AdminHarness::auth()).value();
  EXPECT_EQ(json_body(none), boost::json::parse(R"({"opt_outs": []})"));
  EXPECT_EQ(client.get("/api/v1/opt-outs?serie=x", AdminHarness::auth()).value().status, 400);
}

}  // namespace
}  // namespace kutsu::admin::testing
