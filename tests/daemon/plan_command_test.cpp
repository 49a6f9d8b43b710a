// `kutsu plan`, run as a child process: the JSON contract (golden file for
// the example series), --now states, the text report, exit codes.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <tuple>

#include "tests/daemon/kutsu_cli.h"

namespace kutsu::daemon {
namespace {

namespace json = boost::json;
using testing::read_file;
using testing::run_kutsu;
using testing::TempDir;

constexpr char kExample[] = "examples/aluevaltuutetut-2022.toml";

// Two participants, one webhook, an invitation, one session and a cancelled one.
constexpr char kSpringSeries[] = R"(id = "kevat"
title = "Kevään webinaarit"
timezone = "Europe/Helsinki"
organiser = { name = "O", email = "o@example.org" }
participants = "kevat.csv"
webhooks = ["tiimi"]

[invitation]
send_at = 2022-03-01T09:00:00

[[reminder]]
before = "P1D"

[[session]]
id = "avaus"
title = "Avaus"
start = 2022-03-28T18:00:00
end = 2022-03-28T19:30:00

[[session]]
id = "peruttu"
title = "Peruttu"
start = 2022-04-04T18:00:00
end = 2022-04-04T19:30:00
cancelled = true
)";
constexpr char kSpringParticipants[] =
    "email,name\nMatti@Example.org,Matti\nliisa@example.org,Liisa\n";

json::array parse_array(const std::string& text) {
  json::value value = json::parse(text);
  EXPECT_TRUE(value.is_array());
  return value.is_array() ? value.as_array() : json::array{};
}

std::string str(const json::value& value) {
  return value.is_null() ? "null" : std::string(value.as_string());
}

TEST(PlanCommand, JsonOfTheExampleMatchesTheGoldenFile) {
  // The golden file was checked by hand and against an independent Python
  // computation (zoneinfo for the times, hashlib for the ids). Among others:
  // the P1D at 09:00 reminder for Wed 2.2.2022 18:00 is Tue 1.2. 09:00+02:00.
  auto result = run_kutsu({"plan", "--format", "json", kExample});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out, read_file(KUTSU_SOURCE_DIR "/tests/daemon/golden/plan.json"));
  EXPECT_NE(
      result.out.find(R"("session":"verkosto","kind":"reminder","offset":"P1D","at":"09:00:00",)"
                      R"("channel":"email","recipient":"aino.virtanen@example.org",)"
                      R"("due":"2022-02-01T07:00:00Z","due_local":"2022-02-01T09:00:00+02:00"})"),
      std::string::npos);
}

TEST(PlanCommand, JsonObjectsHaveExactlyTheDocumentedKeysInOrder) {
  auto result = run_kutsu({"plan", "--format", "json", kExample});
  json::array plan = parse_array(result.out);
  ASSERT_EQ(plan.size(), 176u);
  for (const json::value& item : plan) {
    std::vector<std::string> keys;
    for (const auto& member : item.as_object()) keys.emplace_back(member.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "series", "session", "kind", "offset", "at",
                                              "channel", "recipient", "due", "due_local"}));
  }
}

TEST(PlanCommand, NowMarksEachNotificationAsTheDaemonWouldTreatIt) {
  // Wed 16.2.2022 17:10+02:00: ten minutes after the PT1H reminder of the
  // 18:00 session "hoitoketjut" was due.
  auto result = run_kutsu({"plan", "--format", "json", "--now", "2022-02-16T15:10:00Z", kExample});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json::array plan = parse_array(result.out);
  ASSERT_EQ(plan.size(), 176u);
  std::map<std::tuple<std::string, std::string, std::string>, std::string> state_of;
  std::map<std::string, int> counts;
  for (const json::value& item : plan) {
    const json::object& o = item.as_object();
    ASSERT_EQ(o.size(), 11u);
    std::string state = str(o.at("state"));
    auto key = std::make_tuple(str(o.at("kind")), str(o.at("session")), str(o.at("offset")));
    auto [it, inserted] = state_of.emplace(key, state);
    EXPECT_EQ(it->second, state) << "recipients of one reminder differ";
    ++counts[state];
  }
  using K = std::tuple<std::string, std::string, std::string>;
  // The invitation is late but the series has not ended: still sent.
  EXPECT_EQ(state_of[K("invitation", "null", "null")], "overdue");
  EXPECT_EQ(state_of[K("reminder", "verkosto", "PT1H")], "missed");
  EXPECT_EQ(state_of[K("reminder", "hoitoketjut", "P1D")], "missed");         // a day late
  EXPECT_EQ(state_of[K("reminder", "hoitoketjut", "PT1H")], "overdue");       // 10 min late
  EXPECT_EQ(state_of[K("reminder", "monituottajamalli", "P7D")], "pending");  // due 18:00
  EXPECT_EQ(counts["overdue"], 22);
  EXPECT_EQ(counts["missed"], 55);
  EXPECT_EQ(counts["pending"], 99);

  // Sixteen minutes late is past the PT15M grace.
  result = run_kutsu({"plan", "--format", "json", "--now", "2022-02-16T17:16:00+02:00", kExample});
  EXPECT_NE(result.out.find(R"("session":"hoitoketjut","kind":"reminder","offset":"PT1H",)"),
            std::string::npos);
  EXPECT_EQ(
      result.out.find(
          R"(hoitoketjut","kind":"reminder","offset":"PT1H","at":null,"channel":"email","recipient":"aino.virtanen@example.org","due":"2022-02-16T15:00:00Z","due_local":"2022-02-16T17:00:00+02:00","state":"overdue")"),
      std::string::npos);
  EXPECT_NE(
      result.out.find(
          R"(hoitoketjut","kind":"reminder","offset":"PT1H","at":null,"channel":"email","recipient":"aino.virtanen@example.org","due":"2022-02-16T15:00:00Z","due_local":"2022-02-16T17:00:00+02:00","state":"missed")"),
      std::string::npos);
}

TEST(PlanCommand, CancellationGoesToEveryoneInvitedRightAfterTheInvitation) {
  TempDir dir;
  dir.write("kevat.toml", kSpringSeries);
  dir.write("kevat.csv", kSpringParticipants);
  auto result = run_kutsu({"plan", "--format", "json", "kevat.toml"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json::array plan = parse_array(result.out);
  std::vector<std::string> lines;
  for (const json::value& item : plan) {
    const json::object& o = item.as_object();
    lines.push_back(str(o.at("due_local")) + " " + str(o.at("kind")) + " " + str(o.at("session")) +
                    " " + str(o.at("offset")) + " " + str(o.at("channel")) + " " +
                    str(o.at("recipient")));
  }
  // Within one due time the order is by id (checked below), so compare sorted.
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "2022-03-01T09:00:00+02:00 invitation null null email Matti@Example.org",
                "2022-03-01T09:00:00+02:00 invitation null null email liisa@example.org",
                "2022-03-01T09:00:00+02:00 invitation null null webhook tiimi",
                "2022-03-01T09:00:01+02:00 cancellation peruttu null email Matti@Example.org",
                "2022-03-01T09:00:01+02:00 cancellation peruttu null email liisa@example.org",
                "2022-03-01T09:00:01+02:00 cancellation peruttu null webhook tiimi",
                // One calendar day before Mon 28.3. 18:00+03:00 is Sun 27.3., the
                // day of the change, still at 18:00 (+03:00).
                "2022-03-27T18:00:00+03:00 reminder avaus P1D email Matti@Example.org",
                "2022-03-27T18:00:00+03:00 reminder avaus P1D email liisa@example.org",
                "2022-03-27T18:00:00+03:00 reminder avaus P1D webhook tiimi",
            }));
  // Ids follow the recipe of scheduler/notification_id.h (values from Python's hashlib).
  std::map<std::string, std::string> id_of;
  for (const json::value& item : plan) {
    const json::object& o = item.as_object();
    id_of[str(o.at("kind")) + " " + str(o.at("recipient"))] = str(o.at("id"));
  }
  EXPECT_EQ(id_of["invitation tiimi"], "cb9ce5a4a41278055d88e91b046c720e");
  EXPECT_EQ(id_of["invitation Matti@Example.org"], "a7bf102fe3d7437cf104afa861b14057");
  EXPECT_EQ(id_of["cancellation liisa@example.org"], "629df4c5ed3ebab51bd8ce55e18aeab2");
  EXPECT_EQ(id_of["reminder Matti@Example.org"], "4e1c468f33a3ffe248ada3a51292c56a");
  for (std::size_t i = 1; i < plan.size(); ++i) {
    const json::object& a = plan[i - 1].as_object();
    const json::object& b = plan[i].as_object();
    EXPECT_LT(std::make_tuple(str(a.at("due")), str(a.at("id"))),
              std::make_tuple(str(b.at("due")), str(b.at("id"))));
  }
}

// `offset` is the reminder's `before` as written (interfaces.md); the ids
// are those of the same durations written canonically, so rewriting one
// changes nothing that was planned.
TEST(PlanCommand, OffsetIsTheBeforeAsWrittenAndIdsDoNotDependOnIt) {
  TempDir dir;
  std::string written = kSpringSeries;
  written.replace(written.find("before = \"P1D\""), 14,
                  "before = \"P1W\"\n\n[[reminder]]\nbefore = \"PT60S\"");
  std::string canonical = kSpringSeries;
  canonical.replace(canonical.find("before = \"P1D\""), 14,
                    "before = \"P7D\"\n\n[[reminder]]\nbefore = \"PT1M\"");
  dir.write("kevat.csv", kSpringParticipants);
  std::map<std::string, std::vector<std::string>> offsets_and_ids;
  for (const std::string& text : {written, canonical}) {
    dir.write("kevat.toml", text);
    auto result = run_kutsu({"plan", "--format", "json", "kevat.toml"}, dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string>& seen = offsets_and_ids[text == written ? "written" : "canonical"];
    for (const json::value& item : parse_array(result.out)) {
      const json::object& o = item.as_object();
      if (str(o.at("kind")) == "reminder") seen.push_back(str(o.at("offset")) + " " + str(o.at("id")));
    }
    std::sort(seen.begin(), seen.end());
  }
  ASSERT_EQ(offsets_and_ids["written"].size(), 6u);
  std::vector<std::string> expected = offsets_and_ids["canonical"];
  for (std::string& line : expected) {
    if (line.starts_with("P7D ")) line.replace(0, 3, "P1W");
    if (line.starts_with("PT1M ")) line.replace(0, 4, "PT60S");
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(offsets_and_ids["written"], expected);

  dir.write("kevat.toml", written);
  auto text = run_kutsu({"plan", "kevat.toml"}, dir.path());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("reminder PT60S"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("reminder P1W"), std::string::npos) << text.out;
}

TEST(PlanCommand, SeveralFilesMakeOneArraySortedByDueThenId) {
  TempDir dir;
  dir.write("kevat.toml", kSpringSeries);
  dir.write("kevat.csv", kSpringParticipants);
  auto result = run_kutsu({"plan", "--format", "json", "kevat.toml",
                           KUTSU_SOURCE_DIR "/examples/aluevaltuutetut-2022.toml"},
                          dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json::array plan = parse_array(result.out);
  ASSERT_EQ(plan.size(), 176u + 9u);
  std::map<std::string, int> per_series;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const json::object& o = plan[i].as_object();
    ++per_series[str(o.at("series"))];
    if (i == 0) continue;
    const json::object& previous = plan[i - 1].as_object();
    EXPECT_LT(std::make_tuple(str(previous.at("due")), str(previous.at("id"))),
              std::make_tuple(str(o.at("due")), str(o.at("id"))));
  }
  EXPECT_EQ(per_series["kevat"], 9);
  EXPECT_EQ(per_series["aluevaltuutetut-2022"], 176);
}

TEST(PlanCommand, TextGroupsBySessionAndCountsRecipients) {
  TempDir dir;
  dir.write("kevat.toml", kSpringSeries);
  dir.write("kevat.csv", kSpringParticipants);
  auto result = run_kutsu({"plan", "kevat.toml", "--now", "2022-03-27T16:00:00Z"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "kevat: Kevään webinaarit\n"
      "  Europe/Helsinki, 2 sessions, 9 notifications\n"
      "    invitation          3  (email 2, webhook 1)\n"
      "    reminder            3  (email 2, webhook 1)\n"
      "    cancellation        3  (email 2, webhook 1)\n"
      "  at Sun 2022-03-27 19:00 +03:00: 0 pending, 6 overdue (sent late), 3 missed\n"
      "\n"
      "  Invitation\n"
      "    overdue Tue 2022-03-01 09:00 +02:00    invitation                email    "
      "Matti@Example.org, liisa@example.org\n"
      "    overdue Tue 2022-03-01 09:00 +02:00    invitation                webhook  tiimi\n"
      "\n"
      "  Session avaus: Avaus\n"
      "  Mon 2022-03-28 18:00–19:30 +03:00\n"
      "    missed  Sun 2022-03-27 18:00 +03:00    reminder P1D              email    "
      "Matti@Example.org, liisa@example.org\n"
      "    missed  Sun 2022-03-27 18:00 +03:00    reminder P1D              webhook  tiimi\n"
      "\n"
      "  Session peruttu (cancelled): Peruttu\n"
      "  Mon 2022-04-04 18:00–19:30 +03:00\n"
      "    overdue Tue 2022-03-01 09:00:01 +02:00 cancellation              email    "
      "Matti@Example.org, liisa@example.org\n"
      "    overdue Tue 2022-03-01 09:00:01 +02:00 cancellation              webhook  tiimi\n");
}

TEST(PlanCommand, TextOfTheExampleCountsRecipientsBeyondThree) {
  auto result = run_kutsu({"plan", kExample});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out.substr(0, result.out.find("\n  Session hoitoketjut")),
      "aluevaltuutetut-2022: Uusien aluevaltuutettujen webinaarisarja\n"
      "  Europe/Helsinki, 5 sessions, 176 notifications\n"
      "    invitation         11  (email 11)\n"
      "    reminder          165  (email 165)\n"
      "\n"
      "  Invitation\n"
      "    Wed 2022-01-19 09:00 +02:00    invitation                email    11 recipients\n"
      "\n"
      "  Session verkosto: Valtakunnallisen yhteistyön käynnistäminen\n"
      "  Wed 2022-02-02 18:00–19:30 +02:00\n"
      "    Wed 2022-01-26 18:00 +02:00    reminder P7D              email    11 recipients\n"
      "    Tue 2022-02-01 09:00 +02:00    reminder P1D at 09:00     email    11 recipients\n"
      "    Wed 2022-02-02 17:00 +02:00    reminder PT1H             email    11 recipients\n");
}

TEST(PlanCommand, InvalidFilePrintsNoPlan) {
  TempDir dir;
  std::string series = kSpringSeries;
  series.replace(series.find("2022-03-28T18:00:00"), 19, "2022-03-27T03:15:00");
  dir.write("kevat.toml", series);
  dir.write("kevat.csv", kSpringParticipants);
  for (std::string format : {"text", "json"}) {
    auto result = run_kutsu({"plan", "--format", format, "kevat.toml"}, dir.path());
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err,
              "kevat.toml:17:9: error: 2022-03-27T03:15:00 does not exist in Europe/Helsinki: "
              "clocks go from 03:00 to 04:00 (+02:00 → +03:00)\n");
  }
}

TEST(PlanCommand, UsageErrorsExitWithTwo) {
  auto result = run_kutsu({"plan", "--now", "2022-02-16T15:10:00", kExample});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("--now: '2022-02-16T15:10:00' is not an RFC 3339 date-time like "
                            "2022-02-01T12:00:00Z"),
            std::string::npos)
      << result.err;
  result = run_kutsu({"plan", "--format", "xml", kExample});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--format: xml not in {text,json}"), std::string::npos) << result.err;
  EXPECT_EQ(run_kutsu({"plan"}).exit_code, 2);
}

TEST(PlanCommand, HelpTellsTheFormatsStatesAndExitStatus) {
  auto result = run_kutsu({"plan", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (std::string_view expected :
       {"Usage: kutsu plan [OPTIONS] FILE...", "--now", "--format TEXT:{text,json}=text",
        "pending (not yet due), overdue", "Exit status: 0 planned, 1 a file is invalid"}) {
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << "\n" << result.out;
  }
}

}  // namespace
}  // namespace kutsu::daemon

namespace kutsu::daemon {
namespace {

constexpr char kWeeklyCoffee[] = R"(id = "aamukahvit"
title = "Aamukahvit"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
webhooks = ["teams"]

[[reminder]]
before = "PT1H"

[[session]]
id = "kahvit"
title = "Aamukahvit"
start = 2026-01-13T08:30:00
duration = "PT45M"
repeat = "FREQ=WEEKLY;BYDAY=TU"
except = [2026-01-27]
)";

TEST(PlanCommand, UntilPlansAnOpenEndedRuleUpToThatDate) {
  testing::TempDir dir;
  dir.write("kahvit.toml", kWeeklyCoffee);
  auto result = testing::run_kutsu(
      {"plan", "--format", "json", "--until", "2026-02-10", (dir.path() / "kahvit.toml").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines;
  const boost::json::value plan = boost::json::parse(result.out);
  for (const boost::json::value& entry : plan.as_array()) {
    lines.push_back(std::string(entry.at("session").as_string()) + " " +
                    std::string(entry.at("due_local").as_string()));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "kahvit-20260113 2026-01-13T07:30:00+02:00",
                       "kahvit-20260120 2026-01-20T07:30:00+02:00",
                       "kahvit-20260203 2026-02-03T07:30:00+02:00",
                       "kahvit-20260210 2026-02-10T07:30:00+02:00",
                   }));
  result = testing::run_kutsu({"plan", "--until", "10.2.2026", (dir.path() / "kahvit.toml").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("not a date like 2027-06-30"), std::string::npos) << result.err;
}

// A morning and an evening note the day before (issue #16, item 9): two
// reminders with the same `before` and different `at` are two reminders,
// each with its own id; `at` joins the identity only where it tells them
// apart, so a reminder without such a sibling keeps the id it always had
// (the golden file's ids did not change). Ids from Python's hashlib.
TEST(PlanCommand, TwoRemindersTheSameDayBeforeAreTwoNotifications) {
  TempDir dir;
  dir.write("aamu-ilta.csv", "email\na@example.org\n");
  const auto file = dir.write("aamu-ilta.toml", R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "aamu-ilta.csv"

[[reminder]]
before = "P1D"
at = 09:00:00

[[reminder]]
before = "P1D"
at = 17:00:00

[[reminder]]
before = "PT60S"

[[session]]
id = "a"
title = "A"
start = 2027-02-02T18:00:00
end = 2027-02-02T19:00:00
)");
  auto result = run_kutsu({"plan", "--format", "json", file.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json::array plan = parse_array(result.out);
  ASSERT_EQ(plan.size(), 3u);
  std::vector<std::string> seen;
  for (const json::value& item : plan) {
    const json::object& o = item.as_object();
    seen.push_back(str(o.at("id")) + " " + str(o.at("offset")) + " " + str(o.at("at")) + " " +
                   str(o.at("due_local")));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "2a04115257673c9b845e2f7e5809610e P1D 09:00:00 2027-02-01T09:00:00+02:00",
                      "5a12acfd5b909b68d27487489d6069da P1D 17:00:00 2027-02-01T17:00:00+02:00",
                      "89cf1c4e24139f5da2bd7ac8903e1846 PT60S null 2027-02-02T17:59:00+02:00",
                  }));
}

}  // namespace
}  // namespace kutsu::daemon
