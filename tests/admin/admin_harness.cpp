#include "tests/admin/admin_harness.h"

#include <stdexcept>

namespace kutsu::admin::testing {

AdminHarness::AdminHarness(std::function<void(AdminSettings&)> adjust)
    : daemon_(std::make_unique<TestDaemonView>(io_, dir_.path())), work_(io_.get_executor()) {
  settings_.listen = ListenAddress{"127.0.0.1", 0};
  settings_.token = std::string(kToken);
  settings_.figures_ttl = std::chrono::milliseconds(0);
  if (adjust) adjust(settings_);
  // Constructed and started before the loop runs, as the header allows.
  server_ = std::make_unique<AdminServer>(io_, *daemon_, settings_);
  if (Status started = server_->start(); !started) {
    throw std::runtime_error(started.error().message);
  }
  port_ = server_->port();
  loop_ = std::thread([this] { io_.run(); });
}

void AdminHarness::stop_server() {
  on_loop([this](TestDaemonView&) { server_->stop(); });
}

AdminHarness::~AdminHarness() {
  boost::asio::post(io_, [this] {
    server_->stop();
    work_.reset();
  });
  loop_.join();
  server_.reset();
}

}  // namespace kutsu::admin::testing
