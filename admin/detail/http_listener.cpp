#include "admin/detail/http_listener.h"

#include <chrono>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>

#include "admin/detail/http_session.h"

namespace kutsu::admin::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
using net::ip::tcp;

namespace {

// After an accept error that is not about one client (out of descriptors),
// wait this long before accepting again.
constexpr std::chrono::milliseconds kAcceptPause{100};

}  // namespace

HttpListener::HttpListener(net::io_context& io, std::shared_ptr<ConnectionSet> connections)
    : io_(io), acceptor_(io), pause_(io), connections_(std::move(connections)) {}

Result<std::shared_ptr<HttpListener>> HttpListener::open(
    net::io_context& io, const tcp::endpoint& endpoint,
    std::shared_ptr<ConnectionSet> connections) {
  auto listener = std::make_shared<HttpListener>(io, std::move(connections));
  tcp::acceptor& acceptor = listener->acceptor_;
  beast::error_code ec;
  auto failed = [&](std::string_view what) {
    return Error{what.empty() ? ec.message() : std::string(what) + ": " + ec.message()};
  };
  if (acceptor.open(endpoint.protocol(), ec); ec) return failed("socket");
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return failed("SO_REUSEADDR");
  }
  if (acceptor.bind(endpoint, ec); ec) return failed("");
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return failed("listen");
  tcp::endpoint bound = acceptor.local_endpoint(ec);
  if (ec) return failed("getsockname");
  listener->port_ = bound.port();
  return listener;
}

void HttpListener::run() { accept(); }

void HttpListener::close() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  pause_.cancel();
}

void HttpListener::accept() {
  // Sessions share the loop's executor: every handler (and DaemonView) runs
  // on the daemon's one event-loop thread, so no strand is needed.
  acceptor_.async_accept(io_,
                         beast::bind_front_handler(&HttpListener::on_accept, shared_from_this()));
}

void HttpListener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    spdlog::debug("admin API: accept failed: {}", ec.message());
    pause_.expires_after(kAcceptPause);
    pause_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->accept();
    });
    return;
  }
  if (connections_->router() == nullptr) return;
  tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) {
    socket.close(ec);  // the client has gone already
  } else if (const ClientKey client = client_key(remote); !connections_->make_room(client)) {
    spdlog::debug("admin API: connection from {} refused: no idle connection to close ({} open)",
                  remote.address().to_string(), connections_->size());
    socket.close(ec);
  } else {
    std::make_shared<HttpSession>(std::move(socket), connections_, client)->run();
  }
  accept();
}

}  // namespace kutsu::admin::detail
