// CurlMulti: libcurl's multi-socket API driven by a boost::asio::io_context,
// so every SMTP and HTTP transfer runs on the daemon's one event loop
// ("One event loop" in architecture.md) without a thread per transfer.
//
// curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to
// call back (CURLMOPT_TIMERFUNCTION); we watch them with Asio and hand the
// events to curl_multi_socket_action. The sockets of the connections curl
// opens are created and closed through CURLOPT_OPENSOCKETFUNCTION and
// CURLOPT_CLOSESOCKETFUNCTION, so Asio and curl agree on who owns each fd.
// Finished connections stay in the multi handle's connection cache and are
// reused by later transfers to the same server.
//
// Threading: not thread-safe. Construct, perform() and destroy on the thread
// that runs the io_context (or before it runs). Completions run on that thread,
// never inside perform().
//
// Lifetimes: the io_context must outlive the CurlMulti. Each easy handle given
// to perform() must stay alive until its completion has run. Destroying the
// CurlMulti abandons transfers still in flight: their completions are
// destroyed without being called, and cached connections are closed.
#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "base/result.h"

namespace kutsu::notifier {

class CurlMulti {
 public:
  // Called once when a transfer ends, with curl's result for it. The easy
  // handle is no longer in the multi handle and may be reused or freed
  // (except after a successful connect(), see there).
  using Completion = std::function<void(CURLcode result)>;

  struct Limits {
    long max_connections = 8;  // per host and in total; also the idle cache size
  };

  // Throws std::runtime_error when curl cannot be initialised (out of memory);
  // that is a start-up failure, not a delivery result.
  CurlMulti(boost::asio::io_context& io, Limits limits);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts `easy` (fully configured by the caller; CurlMulti sets only the
  // socket open/close callbacks). An error means the transfer did not start
  // and `done` will never be called.
  Status perform(CURL* easy, Completion done);

  // Starts a CURLOPT_CONNECT_ONLY transfer: curl connects (for SMTP also
  // greets, upgrades with STARTTLS and logs in) and `done` runs as for
  // perform() — but when it succeeded the handle stays in the multi handle,
  // which is what keeps its connection open for curl_easy_send and
  // curl_easy_recv, until close_connection(easy). When it failed the handle
  // is out as after perform().
  Status connect(CURL* easy, Completion done);
  // Takes a handle of connect() out of the multi handle, which closes its
  // connection at once, without a goodbye; a completion still to come is
  // dropped. A handle it does not know is left alone.
  void close_connection(CURL* easy);

  // `ready` runs once when the socket `fd` of a connection this multi handle
  // opened can be read (or written, when `for_write`), or has failed — and
  // never once that connection has been closed or *this is gone.
  using Ready = std::function<void(const boost::system::error_code&)>;
  void async_wait(curl_socket_t fd, bool for_write, Ready ready);

  // Transfers started and not yet completed.
  std::size_t in_flight() const { return transfers_.size(); }

 private:
  struct Watch;

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address);
  static int on_close_socket(void* self, curl_socket_t fd);

  void watch(curl_socket_t fd, int what);
  void arm(const std::shared_ptr<Watch>& watch, int direction);
  void on_ready(const std::shared_ptr<Watch>& watch, int direction,
                const boost::system::error_code& ec);
  void guess_writable(const std::shared_ptr<Watch>& watch);
  void set_timeout(long timeout_ms);
  void arm_timer(std::chrono::steady_clock::time_point expiry);
  void on_timeout();
  void socket_action(curl_socket_t fd, int events);
  void finish_done_transfers();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  // Handlers already queued in the io_context hold a weak_ptr to this and do
  // nothing once it has expired, i.e. once *this is being destroyed.
  std::shared_ptr<int> life_;
  std::uint64_t timeout_generation_ = 0;  // bumped on every CURLMOPT_TIMERFUNCTION call
  // When curl wants socket_action(CURL_SOCKET_TIMEOUT); unset: no timeout,
  // or one already posted. timer_ may be armed earlier than this.
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool timer_armed_ = false;
  CURLM* multi_ = nullptr;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches_;
  std::unordered_map<CURL*, Completion> transfers_;
  // Handles of connect(): in the multi handle until close_connection().
  std::unordered_set<CURL*> connect_only_;
};

}  // namespace kutsu::notifier
