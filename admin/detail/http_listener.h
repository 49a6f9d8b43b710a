// HttpListener: the admin server's accept loop. Each accepted socket becomes
// an HttpSession once the ConnectionSet has made room for it (closing an idle
// connection if need be); when it cannot, the socket is closed at once (the
// client sees EOF), so that a flood of connections costs a file descriptor
// for a moment and nothing more.
//
// open() binds and listens (port 0: the kernel picks one, see port());
// run() starts accepting; close() stops. Accept errors such as running out
// of file descriptors pause the loop briefly instead of spinning.
// Not thread-safe: runs on the event loop's thread.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include "admin/detail/connection_set.h"
#include "base/result.h"

namespace kutsu::admin::detail {

class HttpListener : public std::enable_shared_from_this<HttpListener> {
 public:
  static Result<std::shared_ptr<HttpListener>> open(boost::asio::io_context& io,
                                                    const boost::asio::ip::tcp::endpoint& endpoint,
                                                    std::shared_ptr<ConnectionSet> connections);

  HttpListener(boost::asio::io_context& io, std::shared_ptr<ConnectionSet> connections);

  void run();
  void close();
  std::uint16_t port() const { return port_; }

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_;
  std::shared_ptr<ConnectionSet> connections_;
  std::uint16_t port_ = 0;
};

}  // namespace kutsu::admin::detail
