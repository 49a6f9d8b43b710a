// `kutsu status` against a real `kutsu serve`: the bundled example with its
// clock started two seconds before the invitation, a real SMTP server that
// refuses one participant, and a broken series file beside the example. The
// summary is checked line by line against what `kutsu plan` and `kutsu
// check` say of the same files. And against nothing: a closed port, a wrong
// token, a config whose address cannot be asked.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "tests/daemon/kutsu_cli.h"
#include "tests/fixtures/child_process.h"
#include "tests/fixtures/smtp_server.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using kutsu::testing::ChildProcess;
using kutsu::testing::RunResult;
using testing::run_kutsu;

constexpr const char* kClockStart = "2022-01-19T06:59:58Z";  // the invitation is due 07:00:00Z
constexpr const char* kToken = "status-test-token-81c2";
constexpr const char* kRefused = "elin.lindqvist@example.org";
constexpr const char* kRefusal = "5.1.1 <elin.lindqvist@example.org>: Recipient address rejected";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A port nothing listens on: bound by the kernel's choice, then released.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t size = sizeof address;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

class StatusCommandTest : public ::testing::Test {
 protected:
  StatusCommandTest()
      : smtp_(kutsu::testing::SmtpServer::Options{.rcpt_reply = std::string("550 ") + kRefusal,
                                                  .rcpt_reply_for = kRefused}) {
    const std::filesystem::path examples = std::filesystem::path(KUTSU_SOURCE_DIR) / "examples";
    std::filesystem::create_directories(dir_.path() / "series.d");
    for (const char* name : {"aluevaltuutetut-2022.toml", "aluevaltuutetut-2022.csv"}) {
      std::filesystem::copy_file(examples / name, dir_.path() / "series.d" / name);
    }
    example_ = dir_.path() / "series.d" / "aluevaltuutetut-2022.toml";
    broken_ = dir_.write("series.d/rikki.toml",
                         "id = \"rikki\"\ntitle = \"Rikki\"\ntimezone = \"Europe/Helsingfors\"\n"
                         "organiser = { name = \"T\", email = \"t@example.org\" }\n"
                         "join_url = \"https://example.org/liity\"\n\n"
                         "[[session]]\nid = \"yksi\"\ntitle = \"Yksi\"\n"
                         "start = 2022-05-01T18:00:00\nduration = \"PT1H\"\n");
    token_file_ = dir_.write("admin-token", std::string(kToken) + "\n");
  }

  std::string config_text(const std::string& listen) const {
    return "[daemon]\nseries_dir = \"" + (dir_.path() / "series.d").string() +
           "\"\nstate_dir = \"" + (dir_.path() / "state").string() + "\"\n\n[http]\nlisten = \"" +
           listen + "\"\ntoken_file = \"" + token_file_.string() +
           "\"\n\n[email]\ntransport = \"smtp\"\nurl = \"" + smtp_.url() +
           "\"\nstarttls = \"off\"\nfrom = \"Webinaarit <webinaarit@example.org>\"\n";
  }

  // Starts `kutsu serve` and returns the admin API's URL from its log.
  std::string serve() {
    const auto config = dir_.write("kutsu.toml", config_text("127.0.0.1:0"));
    daemon_ = std::make_unique<ChildProcess>(ChildProcess::Options{
        .argv = {KUTSU_BINARY, "serve", "--config", config.string(), "--clock-start", kClockStart},
        .merge_stderr = true});
    static const std::regex kListening("admin API listening on (127\\.0\\.0\\.1:[0-9]+)");
    while (std::optional<std::string> line = daemon_->read_line(30s)) {
      std::smatch match;
      if (std::regex_search(*line, match, kListening)) return "http://" + match[1].str();
    }
    ADD_FAILURE() << "kutsu serve did not open its admin API:\n" << daemon_->stdout_text();
    return "";
  }

  // Waits until the daemon has tried every invitation: the SMTP server took
  // all but one, and the refused one is recorded as failed.
  RunResult status_after_the_invitation(const std::string& url, int accepted) {
    for (int i = 0; i < accepted; ++i) {
      EXPECT_TRUE(smtp_.next_message(30s).has_value()) << "message " << i + 1;
    }
    // Outcomes are recorded in batches a few milliseconds after the send,
    // the refusal possibly before the last acceptance: ask until both show.
    const std::string all_tried = ", sent " + std::to_string(accepted) + ", failed 1,";
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      RunResult status = run_kutsu({"status", "--url", url, "--token-file", token_file_.string()});
      if ((status.out.find("Failures (1 failed") != std::string::npos &&
           status.out.find(all_tried) != std::string::npos) ||
          std::chrono::steady_clock::now() > deadline) {
        return status;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  boost::json::array plan() const {
    RunResult plan = run_kutsu({"plan", "--format", "json", example_.string()});
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    return boost::json::parse(plan.out).as_array();
  }

  kutsu::testing::SmtpServer smtp_;
  testing::TempDir dir_;
  std::filesystem::path example_;
  std::filesystem::path broken_;
  std::filesystem::path token_file_;
  std::unique_ptr<ChildProcess> daemon_;
};

std::string text(const boost::json::value& object, const char* key) {
  return std::string(object.at(key).as_string());
}

TEST_F(StatusCommandTest, SummarisesSeriesNextSendsFailuresAndReloadErrors) {
  const boost::json::array planned = plan();
  std::vector<const boost::json::object*> invitations, later;
  for (const boost::json::value& n : planned) {
    (text(n, "kind") == "invitation" ? invitations : later).push_back(&n.as_object());
  }
  ASSERT_GT(invitations.size(), 2u);
  const std::string url = serve();
  ASSERT_FALSE(url.empty());
  const RunResult status = status_after_the_invitation(url, int(invitations.size()) - 1);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.err, "");
  const std::vector<std::string> lines = lines_of(status.out);
  ASSERT_GT(lines.size(), 25u) << status.out;

  EXPECT_TRUE(std::regex_match(
      lines[0], std::regex("kutsu 0\\.1\\.0 at " + url +
                           ", up [0-9]+ s \\(since Wed 2022-01-19 "
                           "06:59:58 UTC; daemon time Wed 2022-01-19 07:00:[0-9]{2} UTC\\)")))
      << lines[0];
  const std::string pending = std::to_string(later.size());
  const std::string sent = std::to_string(invitations.size() - 1);
  EXPECT_EQ(lines[1], "Notifications: pending " + pending + ", sending 0, retrying 0, sent " +
                          sent + ", failed 1, missed 0, superseded 0");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "Series (1 loaded)");
  EXPECT_EQ(lines[4],
            "  Uusien aluevaltuutettujen webinaarisarja (aluevaltuutetut-2022, Europe/Helsinki, "
            "5 sessions)");
  EXPECT_EQ(lines[5],
            "    next session: Wed 2022-02-02 18:00–19:30 +02:00  Valtakunnallisen yhteistyön "
            "käynnistäminen");
  EXPECT_EQ(lines[6], "    pending " + pending + ", sent " + sent + ", failed 1");
  EXPECT_EQ(lines[7], "");

  // The next ten sends, in the plan's (due, id) order, at the series' local time.
  EXPECT_EQ(lines[8], "Next sends (10 of " + pending + " pending)");
  std::size_t width = 0;
  for (std::size_t i = 0; i < 10; ++i) width = std::max(width, text(*later[i], "recipient").size());
  for (std::size_t i = 0; i < 10; ++i) {
    std::string recipient = text(*later[i], "recipient");
    recipient.resize(width, ' ');
    EXPECT_EQ(lines[9 + i], "  Wed 2022-01-26 18:00 +02:00  reminder P7D  email  " + recipient +
                                "  (aluevaltuutetut-2022 / verkosto)");
  }
  EXPECT_EQ(lines[19], "");

  EXPECT_EQ(lines[20], "Failures (1 failed, 0 missed)");
  EXPECT_EQ(lines[21], std::string("  Wed 2022-01-19 09:00 +02:00  invitation  email  ") +
                           kRefused + "  (aluevaltuutetut-2022)");
  EXPECT_TRUE(lines[22].starts_with("      failed: permanent 550 ")) << lines[22];
  EXPECT_TRUE(lines[22].ends_with(kRefusal)) << lines[22];
  EXPECT_EQ(lines[23], "");

  // The reload's errors, worded as `kutsu check` words them.
  const RunResult check = run_kutsu({"check", broken_.string()});
  ASSERT_EQ(check.exit_code, 1);
  const std::vector<std::string> errors = lines_of(check.err);
  ASSERT_EQ(errors.size(), 1u) << check.err;
  EXPECT_EQ(lines[24], "Last reload Wed 2022-01-19 06:59:58 UTC: 1 of 2 files did not load");
  EXPECT_EQ(lines[25], "  " + errors[0]);
  EXPECT_EQ(lines[26], "    (nothing from this file is in force)");
  EXPECT_EQ(lines.size(), 27u) << status.out;
}

TEST_F(StatusCommandTest, TakesTheTokenFromTheConfigAndSaysWhenItIsWrong) {
  const std::string url = serve();
  ASSERT_FALSE(url.empty());
  const auto config = dir_.path() / "kutsu.toml";

  // --config gives the token; --url wins over the config's port 0.
  RunResult from_config = run_kutsu({"status", "--config", config.string(), "--url", url});
  EXPECT_EQ(from_config.exit_code, 0) << from_config.err;
  EXPECT_TRUE(from_config.out.starts_with("kutsu 0.1.0 at " + url + ", up ")) << from_config.out;

  const auto wrong = dir_.write("wrong-token", "not-the-token\n");
  RunResult refused = run_kutsu({"status", "--url", url, "--token-file", wrong.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err, "kutsu status: the token was refused by the daemon at " + url + "\n");

  RunResult no_token = run_kutsu({"status", "--url", url});
  EXPECT_EQ(no_token.exit_code, 1);
  EXPECT_EQ(no_token.err, "kutsu status: the daemon at " + url +
                              " wants the admin token: give --token-file FILE or --config FILE\n");
}

TEST_F(StatusCommandTest, SaysSoWhenNoDaemonAnswers) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port());
  RunResult status = run_kutsu({"status", "--url", url, "--token-file", token_file_.string()});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_EQ(status.out, "");
  EXPECT_EQ(status.err, "kutsu status: no daemon answers at " + url + "\n");

  // The address from the config (no --url): the same answer, for its address.
  const int port = closed_port();
  const auto config = dir_.write("kutsu.toml", config_text("127.0.0.1:" + std::to_string(port)));
  RunResult from_config = run_kutsu({"status", "--config", config.string()});
  EXPECT_EQ(from_config.exit_code, 1);
  EXPECT_EQ(from_config.err,
            "kutsu status: no daemon answers at http://127.0.0.1:" + std::to_string(port) + "\n");
}

TEST_F(StatusCommandTest, FindsADaemonOnAFreePortThroughItsStateDirectory) {
  const std::string url = serve();  // [http] listen = "127.0.0.1:0"
  ASSERT_FALSE(url.empty());
  const auto config = dir_.path() / "kutsu.toml";
  RunResult status = run_kutsu({"status", "--config", config.string()});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(status.out.starts_with("kutsu 0.1.0 at " + url + ", up ")) << status.out;

  // Stopped, the daemon takes its address with it.
  daemon_->send_signal(SIGTERM);
  EXPECT_EQ(daemon_->wait(30s), 0);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "state" / "admin-address"));
  RunResult stopped = run_kutsu({"status", "--config", config.string()});
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_EQ(stopped.err, "kutsu status: " + config.string() +
                             ": [http] listen asks for any free port, and no daemon has said where it "
                             "listens ('" + (dir_.path() / "state" / "admin-address").string() +
                             "' is missing): is kutsu serve running with this config?\n");
}

TEST_F(StatusCommandTest, RefusesWhatItCannotAsk) {
  RunResult not_http = run_kutsu({"status", "--url", "ftp://127.0.0.1/"});
  EXPECT_EQ(not_http.exit_code, 1);
  EXPECT_EQ(not_http.err, "kutsu status: 'ftp://127.0.0.1' is not an http:// or https:// URL\n");

  RunResult no_file = run_kutsu({"status", "--token-file", (dir_.path() / "nope").string()});
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_EQ(no_file.err, "kutsu status: cannot read '" + (dir_.path() / "nope").string() +
                             "': No such file or directory\n");

  RunResult usage = run_kutsu({"status", "--bogus"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(StatusCommandHelp, TellsWhereItAsksAndWhatItPrints) {
  RunResult help = run_kutsu({"status", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* part : {"--url", "--token-file", "--config", "http://127.0.0.1:8470",
                           "the next 10 sends", "Exit status: 0 the daemon answered, 1"}) {
    EXPECT_NE(help.out.find(part), std::string::npos) << part << " in:\n" << help.out;
  }
}

}  // namespace
}  // namespace kutsu::daemon
