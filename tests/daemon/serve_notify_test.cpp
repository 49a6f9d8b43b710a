// sd_notify: the real `kutsu serve` given a NOTIFY_SOCKET of its own (as
// systemd would) reports READY=1, WATCHDOG=1, RELOADING=1 … READY=1 around a
// SIGHUP, and STOPPING=1 on SIGTERM; and one whose systemd stops reading
// goes on sending.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "tests/daemon/serve_support.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;

// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path_.string().size() >= sizeof address.sun_path) throw std::runtime_error("path too long");
    std::strcpy(address.sun_path, path_.c_str());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
    }
  }
  ~NotifySocket() { close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The next message that contains `line` as one of its lines; nullopt at timeout.
  std::optional<std::string> wait_for(std::string_view line, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return std::nullopt;
      pollfd ready{fd_, POLLIN, 0};
      const int polled = poll(&ready, 1, static_cast<int>(left.count()));
      if (polled < 0 && errno == EINTR) continue;
      if (polled <= 0) return std::nullopt;
      char buffer[4096];
      const ssize_t size = recv(fd_, buffer, sizeof buffer, 0);
      if (size < 0) return std::nullopt;
      const std::string message(buffer, static_cast<std::size_t>(size));
      received.push_back(message);
      if (("\n" + message + "\n").find("\n" + std::string(line) + "\n") != std::string::npos) {
        return message;
      }
    }
  }

  std::vector<std::string> received;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

TEST(ServeNotifyTest, ReportsReadyWatchdogReloadingAndStoppingToSystemd) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  dir.write("series.d/pian.toml",
            testing::series_toml({{"eka", testing::seconds_from_now(3600s)}}, "PT10M"));
  dir.write("series.d/pian.csv", testing::participants_csv(2));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  NotifySocket systemd(dir.path() / "notify");

  kutsu::testing::ChildProcess serve(
      {.argv = {KUTSU_BINARY, "serve", "--config", config.string()},
       .extra_env = {{"NOTIFY_SOCKET", systemd.path().string()}, {"WATCHDOG_USEC", "200000"}},
       .merge_stderr = true});
  std::optional<std::string> ready = systemd.wait_for("READY=1", 10s);
  ASSERT_TRUE(ready) << serve.stdout_text();
  EXPECT_NE(ready->find("STATUS=serving 1 series: 4 pending, 0 sent, 0 failed, 0 missed"),
            std::string::npos)
      << *ready;
  // Two pets prove it is a timer, not a one-off (interval 100 ms).
  ASSERT_TRUE(systemd.wait_for("WATCHDOG=1", 2s));
  ASSERT_TRUE(systemd.wait_for("WATCHDOG=1", 2s));

  serve.send_signal(SIGHUP);
  ASSERT_TRUE(systemd.wait_for("RELOADING=1", 5s));
  EXPECT_TRUE(systemd.wait_for("READY=1", 5s));

  serve.send_signal(SIGTERM);
  EXPECT_TRUE(systemd.wait_for("STOPPING=1", 5s));
  EXPECT_EQ(serve.wait(15s), 0) << serve.stdout_text();
}

// systemd reads its socket; when it does not (busy, or here: never again
// after READY=1), ten datagrams fill the socket's queue and sd_notify
// blocks. The watchdog's pets every 10 ms fill it within a tenth of a
// second, and still the reminders go out on time and SIGTERM stops the
// daemon.
TEST(ServeNotifyTest, ASystemdThatStopsReadingHoldsUpNoSendAndNoStop) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const testing::Instant start = testing::seconds_from_now(8s);
  dir.write("series.d/pian.toml", testing::series_toml({{"eka", start}}, "PT5S"));
  dir.write("series.d/pian.csv", testing::participants_csv(1));
  const auto config = dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url()));
  NotifySocket systemd(dir.path() / "notify");

  kutsu::testing::ChildProcess serve(
      {.argv = {KUTSU_BINARY, "serve", "--config", config.string()},
       .extra_env = {{"NOTIFY_SOCKET", systemd.path().string()}, {"WATCHDOG_USEC", "20000"}},
       .merge_stderr = true});
  ASSERT_TRUE(systemd.wait_for("READY=1", 5s)) << serve.stdout_text();
  // The invitation and the reminder are both due five seconds before the
  // start; each arrives within a second of it.
  for (int message = 0; message < 2; ++message) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        start - 5s - std::chrono::system_clock::now());
    EXPECT_TRUE(smtp.next_message(std::max(left, 0ms) + 1s))
        << "message " << message << " not sent on time\n" << serve.stdout_text();
  }
  serve.send_signal(SIGTERM);
  EXPECT_EQ(serve.wait(15s), 0) << serve.stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
