#include "admin/detail/http_session.h"

#include <algorithm>
#include <iterator>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/write.hpp>

#include "admin/router.h"

namespace kutsu::admin::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// How much a client may still send after a 4xx before the socket closes anyway.
constexpr std::size_t kDrainLimit = 4 * 1024 * 1024;
constexpr std::size_t kFirstReadSize = 1024;

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// RFC 9112 6.1 and 6.3: Transfer-Encoding with Content-Length, a coding other
// than chunked (the only one served) or Transfer-Encoding in HTTP/1.0 leave
// the body's length to interpretation, and a proxy in front may have read it
// otherwise (request smuggling). Beast rejects only some of these — it reads
// "xchunked" beside Content-Length by the length — so they are refused here,
// before any body is read. The reason for the 400, or none.
std::optional<std::string_view> ambiguous_framing(const HttpRequest& request) {
  auto [first, last] = request.equal_range(http::field::transfer_encoding);
  if (first == last) return std::nullopt;
  if (request.count(http::field::content_length) > 0) {
    return "Transfer-Encoding beside Content-Length";
  }
  if (request.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
  const http::token_list codings(first->value());
  auto coding = codings.begin();
  const bool only_chunked = std::next(first) == last && coding != codings.end() &&
                            beast::iequals(*coding, "chunked") &&
                            std::next(coding) == codings.end();
  if (!only_chunked) return "Transfer-Encoding other than chunked";
  return std::nullopt;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<ConnectionSet> connections,
                         ClientKey client)
    : stream_(std::move(socket)), connections_(std::move(connections)), client_(client) {}

HttpSession::~HttpSession() { connections_->remove(this); }

void HttpSession::run() {
  connections_->add(shared_from_this(), client_);
  // The first request's headers are due header_timeout after accept, however
  // long the client takes to begin: waiting for its first byte is no extra time.
  request_started_ = std::chrono::steady_clock::now();
  wait_for_request(connections_->limits().header_timeout);
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

bool HttpSession::has_unread_input() {
  beast::error_code ec;
  return stream_.socket().available(ec) > 0 && !ec;
}

// Wait (`timeout`) for a request's first byte, idle in the connection set
// meanwhile.
void HttpSession::wait_for_request(std::chrono::milliseconds timeout) {
  stream_.expires_after(timeout);
  connections_->idle(this);
  stream_.async_read_some(
      buffer_.prepare(kFirstReadSize),
      beast::bind_front_handler(&HttpSession::on_first_byte, shared_from_this()));
}

void HttpSession::on_first_byte(error_code ec, std::size_t bytes) {
  connections_->busy(this);
  if (ec) return close();  // idle too long, closed to make room, or the client left
  buffer_.commit(bytes);
  if (!request_started_) request_started_ = std::chrono::steady_clock::now();
  read_header();
}

void HttpSession::read_header() {
  const SessionLimits& limits = connections_->limits();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser_->body_limit(limits.max_body_bytes);
  stream_.expires_at(*request_started_ + limits.header_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(error_code ec, std::size_t) {
  if (ec) return read_error(ec);
  if (std::optional<std::string_view> why = ambiguous_framing(parser_->get())) {
    return reject(status::bad_request, "malformed request: " + std::string(*why));
  }
  if (parser_->is_done()) return answer();
  stream_.expires_after(connections_->limits().body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
}

void HttpSession::on_body(error_code ec, std::size_t) {
  if (ec) return read_error(ec);
  answer();
}

void HttpSession::read_error(error_code ec) {
  if (ec == net::error::operation_aborted) return;  // stopped
  if (ec == http::error::body_limit) {
    return reject(
        status::payload_too_large,
        "request body over " + std::to_string(connections_->limits().max_body_bytes) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return reject(status::request_header_fields_too_large, "request headers too large");
  }
  // A client that left (end_of_stream, partial_message, a reset) or ran out
  // of time (beast::error::timeout: the stream is closed already) gets no answer.
  if (ec != http::error::end_of_stream && ec != http::error::partial_message &&
      is_parse_error(ec)) {
    return reject(status::bad_request, "malformed request: " + ec.message());
  }
  spdlog::debug("admin API: connection dropped while reading: {}", ec.message());
  close();
}

void HttpSession::answer() {
  Router* router = connections_->router();
  if (router == nullptr) return close();
  const HttpRequest& request = parser_->get();
  // Most routes answer at once; a reload answers when its load is in force.
  router->handle(request, [self = shared_from_this(), close_after = !request.keep_alive()](
                              HttpResponse response) { self->send(std::move(response), close_after); });
}

void HttpSession::send(HttpResponse response, bool close_after) {
  response_ = std::move(response);
  response_.keep_alive(!close_after);
  response_.prepare_payload();
  stream_.expires_after(connections_->limits().write_timeout);
  http::async_write(
      stream_, response_,
      beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after));
}

void HttpSession::on_write(bool close_after, error_code ec, std::size_t) {
  if (ec) return close();
  if (connections_->router() == nullptr) return close();
  if (close_after) {
    // Half-close first: the client reads the answer, then EOF; whatever it is
    // still sending is read and dropped so that it sees no reset.
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    drained_ = 0;
    buffer_.clear();
    // Answered for good: nothing is lost if it has to make room for another.
    connections_->idle(this);
    return drain();
  }
  if (buffer_.size() > 0) {  // pipelined: the next request is here already
    request_started_ = std::chrono::steady_clock::now();
    return read_header();
  }
  request_started_.reset();  // its clock starts with its first byte
  wait_for_request(connections_->limits().idle_timeout);
}

void HttpSession::reject(status code, std::string_view reason) {
  send(error_response(code, reason), true);
}

void HttpSession::drain() {
  stream_.expires_after(connections_->limits().header_timeout);
  stream_.async_read_some(buffer_.prepare(64 * 1024),
                          beast::bind_front_handler(&HttpSession::on_drain, shared_from_this()));
}

void HttpSession::on_drain(error_code ec, std::size_t bytes) {
  drained_ += bytes;
  if (ec || drained_ > kDrainLimit) return close();
  drain();
}

}  // namespace kutsu::admin::detail
