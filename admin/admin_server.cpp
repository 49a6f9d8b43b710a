#include "admin/admin_server.h"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/address.hpp>

#include "admin/detail/connection_set.h"
#include "admin/detail/http_listener.h"
#include "admin/router.h"

namespace kutsu::admin {

namespace net = boost::asio;

struct AdminServer::Impl {
  Impl(net::io_context& io, DaemonView& daemon, AdminSettings settings)
      : io(io),
        settings(std::move(settings)),
        router(daemon, this->settings.token, this->settings.figures_ttl) {}

  net::io_context& io;
  AdminSettings settings;
  Router router;
  std::shared_ptr<detail::ConnectionSet> connections;
  std::shared_ptr<detail::HttpListener> listener;
};

AdminServer::AdminServer(net::io_context& io, DaemonView& daemon, AdminSettings settings)
    : impl_(std::make_unique<Impl>(io, daemon, std::move(settings))) {}

AdminServer::~AdminServer() { stop(); }

Status AdminServer::start() {
  const AdminSettings& settings = impl_->settings;
  const std::string where = settings.listen.to_string();
  if (impl_->listener) return Error{"the admin API is already listening on " + where};
  if (!settings.listen.is_loopback() && !settings.token) {
    return Error{"refusing to serve the admin API on " + where +
                 " without a token: it is not a loopback address"};
  }
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(settings.listen.host, ec);
  if (ec) return Error{"cannot listen on " + where + ": " + ec.message()};

  detail::SessionLimits limits;
  limits.max_body_bytes = settings.max_body_bytes;
  limits.header_timeout = settings.header_timeout;
  limits.body_timeout = settings.body_timeout;
  limits.idle_timeout = settings.idle_timeout;
  limits.write_timeout = settings.write_timeout;
  detail::TableLimits table;
  table.max_connections = std::max<std::size_t>(settings.max_connections, 1);
  table.max_per_client =
      std::clamp<std::size_t>(settings.max_connections_per_client, 1, table.max_connections);
  table.busy_idle_timeout = settings.busy_idle_timeout;
  auto connections = std::make_shared<detail::ConnectionSet>(impl_->io.get_executor(),
                                                             impl_->router, limits, table);
  auto listener = detail::HttpListener::open(
      impl_->io, net::ip::tcp::endpoint(address, settings.listen.port), connections);
  if (!listener) return Error{"cannot listen on " + where + ": " + listener.error().message};

  impl_->connections = std::move(connections);
  impl_->listener = std::move(*listener);
  impl_->listener->run();
  ListenAddress bound = settings.listen;
  bound.port = impl_->listener->port();
  spdlog::info("admin API listening on {}", bound.to_string());
  return {};
}

void AdminServer::stop() {
  if (impl_->listener) impl_->listener->close();
  if (impl_->connections) impl_->connections->stop();
}

std::uint16_t AdminServer::port() const { return impl_->listener ? impl_->listener->port() : 0; }

}  // namespace kutsu::admin
