#include "tests/admin/idle_clients.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace kutsu::admin::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kHealthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// Runs the operation `start` begins on `io` to its end; the stream's own
// timeout (set by the caller) bounds it.
template <typename Start>
beast::error_code run(net::io_context& io, Start start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

Result<std::unique_ptr<beast::tcp_stream>> connect(net::io_context& io, std::uint16_t port,
                                                   const std::string& source,
                                                   std::chrono::milliseconds timeout) {
  beast::error_code ec;
  const net::ip::address from = net::ip::make_address(source, ec);
  if (ec) return Error{"bad source address " + source + ": " + ec.message()};
  auto stream = std::make_unique<beast::tcp_stream>(io);
  tcp::socket& socket = stream->socket();
  if (socket.open(tcp::v4(), ec); ec) return Error{"socket: " + ec.message()};
  if (socket.bind(tcp::endpoint(from, 0), ec); ec) {
    return Error{"binding to " + source + ": " + ec.message()};
  }
  stream->expires_after(timeout);
  ec = run(io, [&](auto done) {
    stream->async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port), std::move(done));
  });
  if (ec) return Error{"connecting from " + source + ": " + ec.message()};
  return stream;
}

// Sends `request` and reads one answer on `stream` within its timeout.
Result<int> exchange(net::io_context& io, beast::tcp_stream& stream, std::string_view request,
                     std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  beast::error_code ec = run(io, [&](auto done) {
    net::async_write(stream, net::buffer(request.data(), request.size()), std::move(done));
  });
  if (ec) return Error{"writing: " + ec.message()};
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  ec = run(io, [&](auto done) { http::async_read(stream, buffer, response, std::move(done)); });
  if (ec) return Error{"reading the answer: " + ec.message()};
  stream.expires_never();
  return static_cast<int>(response.result_int());
}

// Closed by the peer: EOF or an error is waiting (a peek, so nothing is consumed).
bool peer_closed(int fd) {
  char byte = 0;
  const ssize_t got = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got == 0) return true;
  if (got > 0) return false;
  return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

}  // namespace

Status raise_file_limit(std::size_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Error{std::string("getrlimit: ") + std::strerror(errno)};
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      return Error{std::string("setrlimit: ") + std::strerror(errno)};
    }
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    return Error{"RLIMIT_NOFILE is " + std::to_string(limit.rlim_cur) + ", " +
                 std::to_string(needed) + " descriptors are needed"};
  }
  return {};
}

struct IdleClients::Impl {
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context io;
  std::vector<std::unique_ptr<beast::tcp_stream>> streams;
};

IdleClients::IdleClients(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
}

IdleClients::~IdleClients() = default;

Status IdleClients::open(std::size_t count, const std::string& source) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string which = "idle connection " + std::to_string(impl_->streams.size()) + ": ";
    Result<std::unique_ptr<beast::tcp_stream>> stream =
        connect(impl_->io, impl_->port, source, impl_->timeout);
    if (!stream) return Error{which + stream.error().message};
    Result<int> status = exchange(impl_->io, **stream, kHealthz, impl_->timeout);
    if (!status) return Error{which + status.error().message};
    if (*status != 200) return Error{which + "answered " + std::to_string(*status)};
    impl_->streams.push_back(std::move(*stream));
  }
  return {};
}

Status IdleClients::open_busy(const std::string& bytes, const std::string& source) {
  Result<std::unique_ptr<beast::tcp_stream>> stream =
      connect(impl_->io, impl_->port, source, impl_->timeout);
  if (!stream) return Error{"busy connection: " + stream.error().message};
  (*stream)->expires_after(impl_->timeout);
  beast::error_code ec = run(impl_->io, [&](auto done) {
    net::async_write(**stream, net::buffer(bytes), std::move(done));
  });
  if (ec) return Error{"busy connection: writing: " + ec.message()};
  (*stream)->expires_never();
  impl_->streams.push_back(std::move(*stream));
  return {};
}

std::size_t IdleClients::size() const { return impl_->streams.size(); }

bool IdleClients::closed(std::size_t index) {
  return peer_closed(impl_->streams.at(index)->socket().native_handle());
}

std::optional<Clock::time_point> IdleClients::wait_closed(std::size_t index,
                                                          std::chrono::milliseconds timeout) {
  const int fd = impl_->streams.at(index)->socket().native_handle();
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    if (peer_closed(fd)) return Clock::now();
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd watch{fd, POLLIN | POLLRDHUP, 0};
    (void)::poll(&watch, 1, static_cast<int>(left.count()) + 1);
  }
}

std::vector<std::size_t> IdleClients::open_ones() {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < impl_->streams.size(); ++i) {
    if (!closed(i)) open.push_back(i);
  }
  return open;
}

Result<std::chrono::microseconds> probe_healthz(std::uint16_t port,
                                                std::chrono::milliseconds timeout,
                                                const std::string& source) {
  net::io_context io;
  const Clock::time_point start = Clock::now();
  Result<std::unique_ptr<beast::tcp_stream>> stream = connect(io, port, source, timeout);
  if (!stream) return stream.error();
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      start + timeout - Clock::now() + std::chrono::milliseconds(1));
  Result<int> status = exchange(io, **stream, kHealthz, left);
  if (!status) return status.error();
  if (*status != 200) return Error{"answered " + std::to_string(*status)};
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

Probes probe_healthz(std::uint16_t port, int count, std::chrono::milliseconds timeout,
                     const std::string& source) {
  Probes probes;
  for (; probes.asked < count; ++probes.asked) {
    Result<std::chrono::microseconds> took = probe_healthz(port, timeout, source);
    if (took) {
      probes.took.push_back(*took);
    } else if (probes.first_error.empty()) {
      probes.first_error = "probe " + std::to_string(probes.asked) + ": " + took.error().message;
    }
  }
  return probes;
}

std::string Probes::summary(std::chrono::milliseconds timeout) const {
  auto ms = [](std::chrono::microseconds us) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(us.count()) / 1000.0);
    return std::string(text);
  };
  std::string text = std::to_string(answered()) + " of " + std::to_string(asked) +
                     " answered within " + std::to_string(timeout.count()) + " ms";
  if (!took.empty()) {
    std::vector<std::chrono::microseconds> sorted = took;
    std::sort(sorted.begin(), sorted.end());
    text += ", median " + ms(sorted[sorted.size() / 2]) + ", max " + ms(sorted.back());
  }
  if (!first_error.empty()) text += "; " + first_error;
  return text;
}

}  // namespace kutsu::admin::testing
