#include "notifier/curl_multi.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <mutex>
#include <stdexcept>
#include <string>

namespace kutsu::notifier {
namespace {

// How many times in a row curl is told a socket is writable without asking
// the kernel (CurlMulti::watch): enough for an SMTP body and its final dot.
constexpr int kWriteGuesses = 2;

// curl_global_init is not thread-safe and must run once before any other curl
// call; the first CurlMulti does it.
void init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) {
    throw std::runtime_error(std::string("curl_global_init: ") + curl_easy_strerror(result));
  }
}

template <typename T>
void set_multi(CURLM* multi, CURLMoption option, T value, const char* name) {
  CURLMcode rc = curl_multi_setopt(multi, option, value);
  if (rc != CURLM_OK) {
    throw std::runtime_error(std::string("curl_multi_setopt ") + name + ": " +
                             curl_multi_strerror(rc));
  }
}

}  // namespace

// One socket curl asked us to watch. A Watch is shared with the Asio waits
// pending on it, so a wait that completes after curl closed the socket (or
// after the fd number was reused) finds `gone` set and does nothing.
struct CurlMulti::Watch {
  Watch(boost::asio::io_context& io, curl_socket_t fd, bool owned)
      : descriptor(io), fd(fd), owned(owned) {}

  boost::asio::posix::stream_descriptor descriptor;
  curl_socket_t fd;
  bool owned;             // opened by on_open_socket, so we close it; else curl does
  int wanted = 0;         // the CURL_POLL_* bits curl asked for last
  bool reading = false;   // an async_wait(wait_read) is pending
  bool writing = false;   // an async_wait(wait_write) or a guess that it can write is pending
  int write_guesses = 0;  // since curl last stopped wanting to write (see watch())
  bool gone = false;      // closed or released: pending waits must not act
};

CurlMulti::CurlMulti(boost::asio::io_context& io, Limits limits)
    : io_(io), timer_(io), life_(std::make_shared<int>(0)) {
  init_curl_once();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  try {
    set_multi(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket, "SOCKETFUNCTION");
    set_multi(multi_, CURLMOPT_SOCKETDATA, this, "SOCKETDATA");
    set_multi(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer, "TIMERFUNCTION");
    set_multi(multi_, CURLMOPT_TIMERDATA, this, "TIMERDATA");
    set_multi(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, limits.max_connections,
              "MAX_HOST_CONNECTIONS");
    set_multi(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, limits.max_connections,
              "MAX_TOTAL_CONNECTIONS");
    set_multi(multi_, CURLMOPT_MAXCONNECTS, limits.max_connections, "MAXCONNECTS");
  } catch (...) {
    curl_multi_cleanup(multi_);
    throw;
  }
}

CurlMulti::~CurlMulti() {
  life_.reset();  // Asio handlers already queued must not call back into *this
  // Some protocol handlers block inside curl: SMTP waits for the reply to the
  // end of DATA when a transfer is removed, and for QUIT's reply when a
  // cached connection is closed (curl issues #4015, #8555), up to the
  // timeout. Shutting the sockets down first makes those waits fail at once,
  // so destruction never stalls the loop on a silent server.
  for (auto& [fd, watch] : watches_) {
    if (watch->owned) (void)::shutdown(fd, SHUT_RDWR);  // an already dead socket is fine
  }
  for (auto& [easy, done] : transfers_) {
    // Nothing useful can be done if removal fails while shutting down; the
    // multi handle is cleaned up below either way.
    (void)curl_multi_remove_handle(multi_, easy);
  }
  transfers_.clear();
  for (CURL* easy : connect_only_) (void)curl_multi_remove_handle(multi_, easy);
  connect_only_.clear();
  // Closes the cached connections through on_close_socket, so watches_ must
  // still be intact here.
  (void)curl_multi_cleanup(multi_);
  for (auto& [fd, watch] : watches_) {
    watch->gone = true;
    boost::system::error_code ec;
    if (watch->owned) {
      watch->descriptor.close(ec);
    } else {
      watch->descriptor.release();
    }
  }
}

Status CurlMulti::perform(CURL* easy, Completion done) {
  CURLcode rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlMulti::on_open_socket);
  if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
  if (rc == CURLE_OK) {
    rc = curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlMulti::on_close_socket);
  }
  if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  if (rc != CURLE_OK) {
    return Error{std::string("cannot set socket callbacks: ") + curl_easy_strerror(rc)};
  }
  auto [it, inserted] = transfers_.emplace(easy, std::move(done));
  if (!inserted) return Error{"this transfer is already running"};
  CURLMcode added = curl_multi_add_handle(multi_, easy);
  if (added != CURLM_OK) {
    transfers_.erase(it);
    return Error{std::string("cannot start the transfer: ") + curl_multi_strerror(added)};
  }
  return {};
}

Status CurlMulti::connect(CURL* easy, Completion done) {
  CURLcode rc = curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  if (rc != CURLE_OK) {
    return Error{std::string("cannot ask for a bare connection: ") + curl_easy_strerror(rc)};
  }
  if (Status started = perform(easy, std::move(done)); !started) return started;
  connect_only_.insert(easy);
  return {};
}

void CurlMulti::close_connection(CURL* easy) {
  const bool connecting = transfers_.erase(easy) > 0;
  if (connect_only_.erase(easy) == 0 && !connecting) return;
  // Removing a CONNECT_ONLY handle closes its connection (through
  // on_close_socket, which ends the waits on it). A failure here leaves
  // nothing to undo: the handle is forgotten either way.
  (void)curl_multi_remove_handle(multi_, easy);
}

void CurlMulti::async_wait(curl_socket_t fd, bool for_write, Ready ready) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || it->second->gone) {
    boost::asio::post(io_,
                      [ready = std::move(ready)] { ready(boost::asio::error::bad_descriptor); });
    return;
  }
  std::shared_ptr<Watch> watch = it->second;
  watch->descriptor.async_wait(for_write ? boost::asio::posix::stream_descriptor::wait_write
                                         : boost::asio::posix::stream_descriptor::wait_read,
                               [watch, ready = std::move(ready), life = std::weak_ptr<int>(life_)](
                                   const boost::system::error_code& ec) {
                                 if (watch->gone || life.expired()) return;
                                 ready(ec);
                               });
}

int CurlMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
  static_cast<CurlMulti*>(self)->watch(fd, what);
  return 0;
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self) {
  static_cast<CurlMulti*>(self)->set_timeout(timeout_ms);
  return 0;
}

void CurlMulti::set_timeout(long timeout_ms) {
  // Each call replaces the previous timeout: a zero-timeout handler posted
  // for an older generation does nothing when it runs.
  std::uint64_t generation = ++timeout_generation_;
  if (timeout_ms < 0) {
    deadline_.reset();
    if (timer_armed_) {
      timer_armed_ = false;
      timer_.cancel();  // nothing left to do: let io_context::run() return
    }
    return;
  }
  if (timeout_ms == 0) {
    // "Call socket_action soon", never from inside this callback: the next
    // turn of the loop. Posting costs no timer system call.
    deadline_.reset();
    boost::asio::post(io_, [this, generation, life = std::weak_ptr<int>(life_)] {
      if (!life.expired() && generation == timeout_generation_) on_timeout();
    });
    return;
  }
  deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  // curl moves its timeout on every step of a transfer, often between a
  // second and the whole transfer timeout. Re-arming the timer each time is
  // a system call; a timer already due no later than the new deadline is
  // left alone and looks at the deadline again when it fires.
  if (timer_armed_ && timer_.expiry() <= *deadline_ + std::chrono::milliseconds(1)) return;
  arm_timer(*deadline_);
}

void CurlMulti::arm_timer(std::chrono::steady_clock::time_point expiry) {
  timer_armed_ = true;
  timer_.expires_at(expiry);
  timer_.async_wait([this, life = std::weak_ptr<int>(life_)](const boost::system::error_code& ec) {
    if (ec || life.expired()) return;  // replaced, cancelled, or *this is gone
    timer_armed_ = false;
    if (!deadline_) return;  // curl asked for "now" or "never" since
    if (std::chrono::steady_clock::now() < *deadline_) {
      arm_timer(*deadline_);  // the deadline moved later meanwhile
      return;
    }
    deadline_.reset();
    on_timeout();
  });
}

curl_socket_t CurlMulti::on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address) {
  auto* multi = static_cast<CurlMulti*>(self);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  int fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd < 0) return CURL_SOCKET_BAD;  // curl reports it as "could not connect"
  if (auto old = multi->watches_.find(fd); old != multi->watches_.end()) {
    // A watch on a foreign fd whose REMOVE we never saw; the number is ours now.
    old->second->gone = true;
    old->second->descriptor.release();
    multi->watches_.erase(old);
  }
  auto watch = std::make_shared<Watch>(multi->io_, fd, /*owned=*/true);
  boost::system::error_code ec;
  watch->descriptor.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return CURL_SOCKET_BAD;
  }
  multi->watches_.emplace(fd, std::move(watch));
  return fd;
}

int CurlMulti::on_close_socket(void* self, curl_socket_t fd) {
  auto* multi = static_cast<CurlMulti*>(self);
  auto it = multi->watches_.find(fd);
  if (it == multi->watches_.end()) return ::close(fd);
  it->second->gone = true;
  boost::system::error_code ec;
  it->second->descriptor.close(ec);
  multi->watches_.erase(it);
  return ec ? 1 : 0;
}

void CurlMulti::watch(curl_socket_t fd, int what) {
  auto it = watches_.find(fd);
  if (what == CURL_POLL_REMOVE) {
    if (it == watches_.end()) return;
    const std::shared_ptr<Watch>& watch = it->second;
    watch->wanted = 0;
    if (watch->owned) {
      // The connection may go back to curl's cache for reuse: stop waiting
      // but keep the descriptor until curl closes the socket.
      boost::system::error_code ec;
      watch->descriptor.cancel(ec);
    } else {
      watch->gone = true;
      watch->descriptor.release();
      watches_.erase(it);
    }
    return;
  }
  if (it == watches_.end()) {
    // A socket curl made itself (e.g. the resolver's wake-up pipe): watch it
    // but leave closing it to curl.
    auto watch = std::make_shared<Watch>(io_, fd, /*owned=*/false);
    boost::system::error_code ec;
    watch->descriptor.assign(fd, ec);
    if (ec) return;  // curl's own timeouts still end the transfer
    it = watches_.emplace(fd, std::move(watch)).first;
  }
  std::shared_ptr<Watch> watch = it->second;
  watch->wanted = what;
  if (!(what & CURL_POLL_OUT)) watch->write_guesses = 0;
  if ((what & CURL_POLL_IN) && !watch->reading) arm(watch, CURL_CSELECT_IN);
  if ((what & CURL_POLL_OUT) && !watch->writing) {
    // A connected socket is nearly always writable, and asking Asio to wait
    // for that costs an epoll_ctl and a trip through epoll_wait. So the first
    // times curl wants to write, it is simply told it can; if the socket is
    // in fact full, curl gets EAGAIN, still wants to write, and after a few
    // guesses the real wait takes over (no busy loop on a stuck peer).
    if (watch->write_guesses < kWriteGuesses) {
      ++watch->write_guesses;
      guess_writable(watch);
    } else {
      arm(watch, CURL_CSELECT_OUT);
    }
  }
}

void CurlMulti::guess_writable(const std::shared_ptr<Watch>& watch) {
  watch->writing = true;
  boost::asio::post(io_, [this, watch, life = std::weak_ptr<int>(life_)] {
    watch->writing = false;
    if (watch->gone || life.expired() || !(watch->wanted & CURL_POLL_OUT)) return;
    socket_action(watch->fd, CURL_CSELECT_OUT);
    if (!watch->gone && (watch->wanted & CURL_POLL_OUT) && !watch->writing) {
      arm(watch, CURL_CSELECT_OUT);
    }
  });
}

void CurlMulti::arm(const std::shared_ptr<Watch>& watch, int direction) {
  bool reading = direction == CURL_CSELECT_IN;
  (reading ? watch->reading : watch->writing) = true;
  watch->descriptor.async_wait(reading ? boost::asio::posix::stream_descriptor::wait_read
                                       : boost::asio::posix::stream_descriptor::wait_write,
                               [this, watch, direction, life = std::weak_ptr<int>(life_)](
                                   const boost::system::error_code& ec) {
                                 (direction == CURL_CSELECT_IN ? watch->reading : watch->writing) =
                                     false;
                                 if (watch->gone || life.expired()) return;
                                 on_ready(watch, direction, ec);
                               });
}

void CurlMulti::on_ready(const std::shared_ptr<Watch>& watch, int direction,
                         const boost::system::error_code& ec) {
  int poll_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
  bool& pending = direction == CURL_CSELECT_IN ? watch->reading : watch->writing;
  if (!(watch->wanted & poll_bit)) return;
  // A cancelled wait (REMOVE, then wanted again before it ran) tells curl
  // nothing; it is only re-armed below.
  if (ec != boost::asio::error::operation_aborted) {
    socket_action(watch->fd, ec ? CURL_CSELECT_ERR : direction);
  }
  // socket_action may have closed the socket, changed what curl wants, or
  // already re-armed this direction through on_socket.
  if (!watch->gone && (watch->wanted & poll_bit) && !pending) arm(watch, direction);
}

void CurlMulti::on_timeout() { socket_action(CURL_SOCKET_TIMEOUT, 0); }

void CurlMulti::socket_action(curl_socket_t fd, int events) {
  int running = 0;
  CURLMcode rc = curl_multi_socket_action(multi_, fd, events, &running);
  // CURLM_BAD_SOCKET: an event for a socket curl already let go of; harmless.
  if (rc != CURLM_OK && rc != CURLM_BAD_SOCKET) {
    // The multi handle is in trouble (out of memory, internal error): end
    // every transfer now rather than leave its sender waiting forever.
    CURLcode result = rc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
    std::unordered_map<CURL*, Completion> failed;
    failed.swap(transfers_);
    for (auto& [easy, done] : failed) {
      connect_only_.erase(easy);
      (void)curl_multi_remove_handle(multi_, easy);
    }
    for (auto& [easy, done] : failed) done(result);
    return;
  }
  finish_done_transfers();
}

void CurlMulti::finish_done_transfers() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    // msg is invalid once the handle is removed: copy what we need first.
    CURL* easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    auto it = transfers_.find(easy);
    if (result == CURLE_OK && connect_only_.contains(easy)) {
      // Connected: the handle stays, and with it the connection.
      if (it == transfers_.end()) continue;
      Completion done = std::move(it->second);
      transfers_.erase(it);
      done(CURLE_OK);
      continue;
    }
    connect_only_.erase(easy);
    CURLMcode removed = curl_multi_remove_handle(multi_, easy);
    if (it == transfers_.end()) continue;
    Completion done = std::move(it->second);
    transfers_.erase(it);
    done(removed == CURLM_OK ? result : CURLE_FAILED_INIT);
  }
}

}  // namespace kutsu::notifier
