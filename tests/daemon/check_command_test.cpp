// `kutsu check`, run as a child process: exit codes, stdout, and every
// diagnostic on stderr as FILE:LINE:COLUMN: error: MESSAGE.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/daemon/kutsu_cli.h"

namespace kutsu::daemon {
namespace {

using testing::run_kutsu;
using testing::TempDir;

constexpr char kParticipants[] = "email,name\nmatti@example.org,Matti\n";

// A series with the time problems an organiser meets around the Helsinki
// DST changes of 2022 (line numbers matter to the expectations below).
constexpr char kDstSeries[] = R"(id = "talvi"
title = "Talvi"
timezone = "Europe/Helsinki"
organiser = { name = "O", email = "o@example.org" }
participants = "talvi.csv"

[invitation]
send_at = 2022-03-01T09:00:00

[[reminder]]
before = "PT1H"
at = 20:00:00

[[session]]
id = "kevat"
title = "Kevät"
start = 2022-03-27T03:30:00
end = 2022-03-27T05:00:00

[[session]]
id = "syksy"
title = "Syksy"
start = 2022-10-30T03:30:00
duration = "PT1H"

[[session]]
id = "kesa"
title = "Kesä"
start = 2022-06-01T18:00:00
end = 2022-06-01T19:00:00
)";

// kDstSeries with every problem fixed: the gap time moved out of the gap, the
// fold time given an offset, and the reminder a plain P1D.
std::string fixed_series() {
  std::string series = kDstSeries;
  series.replace(series.find("2022-03-27T03:30:00"), 19, "2022-03-27T04:30:00");
  series.replace(series.find("2022-10-30T03:30:00"), 19, "2022-10-30T03:30:00+02:00");
  series.replace(series.find("before = \"PT1H\"\nat = 20:00:00"), 29, "before = \"P1D\"");
  return series;
}

TEST(CheckCommand, AcceptsTheExampleSeries) {
  auto result = run_kutsu({"check", "examples/aluevaltuutetut-2022.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "examples/aluevaltuutetut-2022.toml: ok, 5 sessions, 176 notifications\n");
  EXPECT_EQ(result.err, "");
}

TEST(CheckCommand, AcceptsTheInPersonWorkshopExample) {
  auto result = run_kutsu({"check", "examples/osallisuustyopajat-2026.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "examples/osallisuustyopajat-2026.toml: ok, 6 sessions, 130 notifications\n");
  EXPECT_EQ(result.err, "");
}

TEST(CheckCommand, ReportsGapFoldAndLateReminderWhereTheyWereWritten) {
  TempDir dir;
  dir.write("talvi.toml", kDstSeries);
  dir.write("talvi.csv", kParticipants);
  auto result = run_kutsu({"check", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  // The gap and the fold are reported at the value; the reminder that lands
  // after the one valid session at its [[reminder]] table. Sessions whose
  // start is wrong are not compared with their reminders (one problem, one line).
  EXPECT_EQ(result.err,
            "talvi.toml:10:1: error: reminder PT1H at 20:00 for session 'kesa' is due "
            "2022-06-01T20:00:00+03:00, not before the session starts at "
            "2022-06-01T18:00:00+03:00\n"
            "talvi.toml:17:9: error: 2022-03-27T03:30:00 does not exist in Europe/Helsinki: "
            "clocks go from 03:00 to 04:00 (+02:00 → +03:00)\n"
            "talvi.toml:23:9: error: 2022-10-30T03:30:00 is ambiguous in Europe/Helsinki: it is "
            "both 03:30+03:00 (00:30Z) and 03:30+02:00 (01:30Z); write it with an offset\n");
}

// issue #16: a DST gap is reported beside the format errors, not only once
// they are fixed. The times of a session that parsed are checked; a session
// with a problem of its own is not (its fold would be a guess), nor is
// anything planned (the late reminder is the planner's to find).
TEST(CheckCommand, ReportsFormatErrorsAndTimeProblemsTogetherInFileOrder) {
  TempDir dir;
  std::string series = kDstSeries;
  series.replace(series.find("o@example.org"), 13, "ei-osoite");
  series.replace(series.find("id = \"syksy\"\n"), 13, "id = \"syksy\"\nvari = \"punainen\"\n");
  dir.write("talvi.toml", series);
  dir.write("talvi.csv", kParticipants);
  auto result = run_kutsu({"check", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "talvi.toml:4:35: error: 'ei-osoite' is not a valid e-mail address\n"
            "talvi.toml:17:9: error: 2022-03-27T03:30:00 does not exist in Europe/Helsinki: "
            "clocks go from 03:00 to 04:00 (+02:00 → +03:00)\n"
            "talvi.toml:22:1: error: unknown key 'vari'\n");
}

TEST(CheckCommand, AcceptsTheSeriesOnceTheTimesAreFixed) {
  TempDir dir;
  dir.write("talvi.toml", fixed_series());
  dir.write("talvi.csv", kParticipants);
  auto result = run_kutsu({"check", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "talvi.toml: ok, 3 sessions, 4 notifications\n");
  EXPECT_EQ(result.err, "");
}

TEST(CheckCommand, ReportsAnInvitationAfterTheFirstSession) {
  TempDir dir;
  std::string series = fixed_series();
  series.replace(series.find("send_at = 2022-03-01T09:00:00"), 29, "before = \"P7D\"");
  dir.write("talvi.toml", series);
  dir.write("talvi.csv", kParticipants);
  // P7D before the first session (27.3. 04:30+03:00) is 20.3. 04:30+02:00:
  // fine. send_at after the first session is not.
  EXPECT_EQ(run_kutsu({"check", "talvi.toml"}, dir.path()).exit_code, 0);

  // The parser compares written local times; with an offset only instants
  // tell: 04:00+01:00 is 06:00+03:00, after the 04:30+03:00 start.
  series.replace(series.find("before = \"P7D\""), 14, "send_at = 2022-03-27T04:00:00+01:00");
  dir.write("talvi.toml", series);
  auto result = run_kutsu({"check", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "talvi.toml:8:11: error: the invitation is due 2022-03-27T06:00:00+03:00, not before "
            "the first session 'kevat' starts at 2022-03-27T04:30:00+03:00\n");
}

TEST(CheckCommand, ChecksEveryFileAndReportsEachOne) {
  TempDir dir;
  dir.write("talvi.toml", kDstSeries);
  dir.write("talvi.csv", kParticipants);
  auto result = run_kutsu(
      {"check", "talvi.toml", KUTSU_SOURCE_DIR "/examples/aluevaltuutetut-2022.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, KUTSU_SOURCE_DIR
            "/examples/aluevaltuutetut-2022.toml: ok, 5 sessions, 176 notifications\n");
  EXPECT_NE(result.err.find("talvi.toml:17:9: error: 2022-03-27T03:30:00 does not exist"),
            std::string::npos)
      << result.err;
}

// `--config kutsu.toml`: the files' webhook names must be the daemon's, as
// at a reload; reported where the name is written, beside every other
// problem of the file.
TEST(CheckCommand, WithTheDaemonConfigUnknownWebhookNamesAreErrors) {
  TempDir dir;
  dir.write("tiimi.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  dir.write("kutsu.toml",
            "[[webhook]]\nname = \"tiimi\"\nurl = \"https://example.org/hook\"\n"
            "secret_file = \"tiimi.secret\"\n");
  std::string series = fixed_series();
  series.replace(series.find("participants = "), 15, "webhooks = [\"tiimi\", \"muu\"]\nparticipants = ");
  dir.write("talvi.toml", series);
  dir.write("talvi.csv", kParticipants);
  // Without the config there is nothing to check them against.
  EXPECT_EQ(run_kutsu({"check", "talvi.toml"}, dir.path()).exit_code, 0);

  auto result = run_kutsu({"check", "--config", "kutsu.toml", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "talvi.toml:5:22: error: unknown webhook 'muu': the daemon config defines no "
            "[[webhook]] of that name\n");

  // With a format error and a DST gap in the same file: all three, in file order.
  series.replace(series.find("2022-03-27T04:30:00"), 19, "2022-03-27T03:30:00");
  series.replace(series.find("title = \"Syksy\""), 15, "title = 7");
  dir.write("talvi.toml", series);
  result = run_kutsu({"check", "talvi.toml", "--config", "kutsu.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "talvi.toml:5:22: error: unknown webhook 'muu': the daemon config defines no "
            "[[webhook]] of that name\n"
            "talvi.toml:17:9: error: 2022-03-27T03:30:00 does not exist in Europe/Helsinki: "
            "clocks go from 03:00 to 04:00 (+02:00 → +03:00)\n"
            "talvi.toml:22:9: error: 'title' must be a string, not an integer\n");

  // A config that does not load is an error of its own; the files are still checked.
  dir.write("broken.toml", "[daemon]\nmisfire_grace = 5\n");
  result = run_kutsu({"check", "--config", "broken.toml", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("broken.toml:2:", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("talvi.toml:17:9: error:"), std::string::npos) << result.err;
}

// A config on PostgreSQL ([store]) checks like any other: nothing connects,
// and its problems are reported where they are written.
TEST(CheckCommand, TheDaemonConfigMayNameAPostgresqlStore) {
  TempDir dir;
  dir.write("db-password", "hunter2\n");
  dir.write("kutsu.toml",
            "[store]\nurl = \"postgresql://kutsu@db.example.org/kutsu\"\n"
            "password_file = \"db-password\"\nnode = \"kutsu-a\"\nlease = \"PT30S\"\n");
  dir.write("talvi.toml", fixed_series());
  dir.write("talvi.csv", kParticipants);
  auto result = run_kutsu({"check", "--config", "kutsu.toml", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");

  dir.write("kutsu.toml", "[store]\nurl = \"postgresql://kutsu@db/kutsu\"\nlease = \"PT1S\"\n");
  result = run_kutsu({"check", "--config", "kutsu.toml", "talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "kutsu.toml:3:9: error: 'lease' must be from PT5S to PT1H, not PT1S\n");
}

TEST(CheckCommand, TwoFilesWithTheSameSeriesIdAreAnError) {
  TempDir dir;
  std::string series = fixed_series();
  dir.write("a/talvi.toml", series);
  dir.write("a/talvi.csv", kParticipants);
  dir.write("b/talvi.toml", series);
  dir.write("b/talvi.csv", kParticipants);
  auto result = run_kutsu({"check", "a/talvi.toml", "b/talvi.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "a/talvi.toml: ok, 3 sessions, 4 notifications\n");
  EXPECT_EQ(result.err,
            "b/talvi.toml: error: series id 'talvi' is also the id of a/talvi.toml; each series "
            "needs its own id\n");
}

TEST(CheckCommand, MissingFileIsInvalidNotUsage) {
  TempDir dir;
  auto result = run_kutsu({"check", "puuttuu.toml"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("puuttuu.toml: error: ", 0), 0u) << result.err;
}

TEST(CheckCommand, UsageErrorsExitWithTwo) {
  auto result = run_kutsu({"check"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("FILE is required"), std::string::npos) << result.err;
  EXPECT_EQ(run_kutsu({"check", "--bogus", "x.toml"}).exit_code, 2);
}

TEST(CheckCommand, HelpDescribesWhatIsCheckedAndTheExitStatus) {
  auto result = run_kutsu({"check", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Usage: kutsu check [OPTIONS] FILE..."), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("FILE:LINE:COLUMN: error: MESSAGE"), std::string::npos);
  EXPECT_NE(result.out.find("Exit status: 0 all files valid, 1 a file is invalid, 2 usage error."),
            std::string::npos);
}

// The inputs that used to crash `check` (SIGSEGV in toml++) or hang it while
// memory ran out: each is an error naming the file, and the run ends.
TEST(CheckCommand, HostileFilesAreErrorsNotCrashesOrHangs) {
  TempDir dir;
  std::string bomb = "id = \"x\"\n[a";
  for (int i = 1; i < 50'000; ++i) bomb += ".a";
  dir.write("bomb.toml", bomb + "]\n");
  auto crashed = run_kutsu({"check", "bomb.toml"}, dir.path());
  EXPECT_EQ(crashed.exit_code, 1);
  EXPECT_EQ(crashed.err,
            "bomb.toml:2:2: error: this key has more than 32 dotted parts; a key may have at "
            "most 32\n");

  auto device = run_kutsu({"check", "/dev/zero"}, dir.path());
  EXPECT_EQ(device.exit_code, 1);
  EXPECT_EQ(device.err, "/dev/zero: error: cannot read '/dev/zero': it is a device, not a regular file\n");

  ASSERT_EQ(::mkfifo((dir.path() / "x.toml").c_str(), 0600), 0);
  auto fifo = run_kutsu({"check", "x.toml"}, dir.path());
  EXPECT_EQ(fifo.exit_code, 1);
  EXPECT_EQ(fifo.err, "x.toml: error: cannot read 'x.toml': it is a named pipe (FIFO), not a regular file\n");

  std::string series = fixed_series();
  series.replace(series.find("talvi.csv"), 9, "/dev/zero");
  dir.write("loputon.toml", series);
  auto endless = run_kutsu({"check", "loputon.toml"}, dir.path());
  EXPECT_EQ(endless.exit_code, 1);
  EXPECT_EQ(endless.err,
            "loputon.toml:5:16: error: cannot read '/dev/zero': it is a device, not a regular "
            "file\n");

  dir.write("iso.csv", "email,name\n" + std::string(33 * 1024 * 1024, 'x') + "\n");
  series.replace(series.find("/dev/zero"), 9, "iso.csv");
  dir.write("iso.toml", series);
  auto large = run_kutsu({"check", "iso.toml"}, dir.path());
  EXPECT_EQ(large.exit_code, 1);
  EXPECT_EQ(large.err, "iso.toml:5:16: error: 'iso.csv' is larger than 32 MiB, the most a participants CSV may be\n");
}

}  // namespace
}  // namespace kutsu::daemon
