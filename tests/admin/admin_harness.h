// AdminHarness: an AdminServer on 127.0.0.1 (a free port) over a
// TestDaemonView in a fresh temporary folder, its io_context run by a
// background thread — the server's "event loop". Tests talk to it with the
// blocking clients of tests/fixtures/http_client.h from the test thread.
//
// The DaemonView and its outbox belong to the loop thread while the server
// runs: a test that wants to look at or change them goes through on_loop(),
// which runs the function there and waits for it.
//
// The settings default to the daemon's, except: token kToken, figures_ttl 0
// (counts are read fresh, so a test sees its own changes). `adjust` may
// change any of them before start. The destructor stops the server on the
// loop and joins the thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "admin/admin_server.h"
#include "tests/admin/test_daemon_view.h"
#include "tests/fixtures/http_client.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::admin::testing {

inline constexpr std::string_view kToken = "kutsu-test-token-0123456789";

using kutsu::testing::TempDir;

// The reply's body as JSON (a parse error throws, failing the test).
inline boost::json::value json_body(const kutsu::testing::HttpReply& reply) {
  return boost::json::parse(reply.body);
}

class AdminHarness {
 public:
  explicit AdminHarness(std::function<void(AdminSettings&)> adjust = {});
  ~AdminHarness();

  std::uint16_t port() const { return port_; }
  const AdminSettings& settings() const { return settings_; }

  // Runs `f(daemon)` on the loop thread and returns its result.
  template <typename F>
  auto on_loop(F f) -> std::invoke_result_t<F, TestDaemonView&> {
    using R = std::invoke_result_t<F, TestDaemonView&>;
    std::packaged_task<R()> task([&] { return f(*daemon_); });
    std::future<R> done = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return done.get();
  }

  // AdminServer::stop() on the loop; returns once it ran.
  void stop_server();

  // Read-only facts fixed at construction (safe from any thread).
  const TestDaemonView::Ids& ids() const { return daemon_->ids(); }

  // A client for this server; `authorized` adds nothing by itself — use
  // auth() for the headers.
  kutsu::testing::HttpClient client() const { return kutsu::testing::HttpClient(port_); }
  static std::map<std::string, std::string> auth() {
    return kutsu::testing::HttpClient::bearer(kToken);
  }

 private:
  TempDir dir_;
  boost::asio::io_context io_;  // before daemon_: its outbox posts answers here
  std::unique_ptr<TestDaemonView> daemon_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  AdminSettings settings_;
  std::unique_ptr<AdminServer> server_;
  std::uint16_t port_ = 0;
  std::thread loop_;
};

}  // namespace kutsu::admin::testing
