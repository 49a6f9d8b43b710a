// libFuzzer target: the bytes an admin client sends → the admin server the
// daemon runs. One AdminServer (the daemon's own: listener, ConnectionSet,
// HttpSession with Beast's parser and its limits, the framing check, Router
// with the bearer token check, the /api handlers) listens on 127.0.0.1 over
// a TestDaemonView (a real outbox and the bundled example series,
// tests/admin/test_daemon_view.h). Each input is written to one new
// connection as it is — one request, several pipelined, or garbage — then
// the client half-closes and reads everything the server answers until it
// closes. The server runs on this thread, so a hang is a libFuzzer timeout.
//
// Besides crashes, leaks and UB, three things are findings (abort):
//   - what the server wrote is not a sequence of well-formed HTTP/1.1
//     responses;
//   - a 500: with a healthy outbox no request may make a handler throw;
//   - a 2xx JSON answer (only /api routes give one) to an input that does
//     not contain the token at all: the bearer check was passed without it.
// POST /api/v1/notifications/{id}/retry changes the outbox, so the same
// input may answer 200 once and 409 afterwards; nothing else keeps state.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "admin/admin_server.h"
#include "tests/admin/test_daemon_view.h"

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using net::ip::tcp;

constexpr std::string_view kToken = "kutsu-fuzz-token-0123456789";

struct Server {
  Server() : state_dir(make_state_dir()), daemon(io, state_dir), server(io, daemon, settings()) {
    if (kutsu::Status started = server.start(); !started) {
      std::fprintf(stderr, "admin server: %s\n", started.error().message.c_str());
      std::abort();
    }
    endpoint = tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port());
  }

  static std::filesystem::path make_state_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kutsu-fuzz-admin-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }
  static kutsu::admin::AdminSettings settings() {
    kutsu::admin::AdminSettings settings;
    settings.listen = kutsu::ListenAddress{"127.0.0.1", 0};
    settings.token = std::string(kToken);
    return settings;  // the daemon's limits and timeouts otherwise
  }

  std::filesystem::path state_dir;
  net::io_context io;
  kutsu::admin::testing::TestDaemonView daemon;
  kutsu::admin::AdminServer server;
  tcp::endpoint endpoint;
};

Server& server() {
  static Server* instance = [] {
    spdlog::set_level(spdlog::level::err);
    auto* created = new Server();
    std::atexit([] { std::filesystem::remove_all(server().state_dir); });
    return created;
  }();
  return *instance;
}

// Everything the server answers to `input` on one connection.
std::string exchange(Server& s, std::string_view input) {
  // Each run from the next address of 127.1.0.0/16: the client half-closes
  // first, so its side of every connection ends in TIME_WAIT, and from one
  // address the ephemeral ports would run out within a minute.
  static std::uint32_t run = 0;
  const auto from = net::ip::make_address_v4(0x7f010000u | (run++ & 0xffffu));
  tcp::socket client(s.io, tcp::endpoint(from, 0));
  // Asynchronously: libFuzzer's timeout alarm would interrupt a blocking connect.
  boost::system::error_code ec;
  bool connected = false;
  client.async_connect(s.endpoint, [&](boost::system::error_code result) {
    ec = result;
    connected = true;
  });
  while (!connected) s.io.run_one();
  if (ec) {
    std::fprintf(stderr, "admin_http: cannot connect: %s\n", ec.message().c_str());
    std::abort();
  }
  std::string answer;
  bool written = false;
  bool read = false;
  net::async_write(client, net::buffer(input), [&](boost::system::error_code, std::size_t) {
    boost::system::error_code ignored;
    client.shutdown(tcp::socket::shutdown_send, ignored);
    written = true;
  });
  net::async_read(client, net::dynamic_buffer(answer),
                  [&](boost::system::error_code, std::size_t) { read = true; });
  while (!(written && read)) s.io.run_one();
  client.close(ec);
  return answer;
}

[[noreturn]] void finding(std::string_view what, std::string_view answer) {
  std::fprintf(stderr, "admin_http: %.*s\n--- answer ---\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(std::min<std::size_t>(answer.size(), 4096)),
               answer.data());
  std::abort();
}

void check_answer(std::string_view input, std::string_view answer) {
  const bool has_token = input.find(kToken) != std::string_view::npos;
  boost::beast::flat_buffer buffer;
  buffer.commit(net::buffer_copy(buffer.prepare(answer.size()), net::buffer(answer)));
  while (buffer.size() > 0) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.eager(true);
    for (;;) {
      boost::beast::error_code ec;
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (parser.is_done()) break;
      if ((!ec || ec == http::error::need_more) && used > 0) continue;
      if (ec == http::error::need_more) {
        ec = {};
        parser.put_eof(ec);
        if (!ec && parser.is_done()) break;
      }
      finding("not a well-formed HTTP response: " + ec.message(), answer);
    }
    const auto& response = parser.get();
    if (response.result() == http::status::internal_server_error) finding("a 500", answer);
    const bool json = response[http::field::content_type] == "application/json";
    if (response.result_int() / 100 == 2 && json && !has_token) {
      finding("an /api answer without the token", answer);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server& s = server();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_answer(input, exchange(s, input));
  return 0;
}
