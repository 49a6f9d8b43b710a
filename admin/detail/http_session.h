// HttpSession: one accepted admin connection, in the manner of Beast's
// advanced server — the session owns its socket (a beast::tcp_stream), its
// read buffer and a fresh parser per request, and keeps itself alive through
// the shared_ptr bound into each pending operation.
//
// Every wait has a deadline, so no client can hold a connection for free:
//   idle_timeout    between keep-alive requests, until the next request's first byte
//   header_timeout  for the request line and headers (from accept, or from that first byte)
//   body_timeout    for the body, once the headers are in
//   write_timeout   for sending the response
// On a deadline the socket is closed without an answer. While it waits for a
// request's first byte, or drains after its last answer, the session is idle
// in its ConnectionSet, which may close it sooner to make room
// (connection_set.h).
//
// A body over the limit is answered 413, headers over theirs 431, anything
// unparsable 400 — and so is a request whose framing is ambiguous
// (Transfer-Encoding beside Content-Length, or anything but exactly
// "chunked"; RFC 9112 6.1), which a proxy in front may have framed
// differently (request smuggling). Each of these closes the connection after
// a bounded drain of what the client still sends (so that it reads the
// answer instead of a reset).
//
// Handlers run synchronously on the event loop (Router); one request at a
// time, later pipelined requests wait in the buffer.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "admin/detail/connection_set.h"
#include "admin/http_response.h"

namespace kutsu::admin::detail {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ConnectionSet> connections,
              ClientKey client);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Joins the connection set and starts reading the first request.
  void run();
  // Closes the socket; pending operations finish with operation_aborted.
  void close();
  // Whether the client has sent bytes the session has not read yet.
  bool has_unread_input();

 private:
  using error_code = boost::beast::error_code;

  void wait_for_request(std::chrono::milliseconds timeout);
  void on_first_byte(error_code ec, std::size_t bytes);
  void read_header();
  void on_header(error_code ec, std::size_t bytes);
  void on_body(error_code ec, std::size_t bytes);
  void answer();
  void send(HttpResponse response, bool close_after);
  void on_write(bool close_after, error_code ec, std::size_t bytes);
  void reject(status code, std::string_view reason);
  void read_error(error_code ec);
  void drain();
  void on_drain(error_code ec, std::size_t bytes);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ConnectionSet> connections_;
  ClientKey client_;
  // When the request being read began (accept for the first, else its first
  // byte): its headers are due header_timeout later.
  std::optional<std::chrono::steady_clock::time_point> request_started_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  HttpResponse response_;  // the one being written
  std::size_t drained_ = 0;
};

}  // namespace kutsu::admin::detail
