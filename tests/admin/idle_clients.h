// IdleClients: the load of issue #10 — many keep-alive connections to an
// HTTP server on loopback, each of which sent one request, read its whole
// answer and then sends nothing more — and the checks on them: which the
// server has closed since, and how fast a probe is answered meanwhile.
//
// Connections are opened one after another, each answered before the next
// is opened, so the server saw them go idle in index order (0 is the
// idlest). A connection may come from any 127.x.y.z address (Linux answers
// the whole 127/8 on loopback), which is how tests play several clients.
//
// All connections share one io_context run by the calling thread: use an
// IdleClients from one thread, never the server's event-loop thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace kutsu::admin::testing {

// Raises this process's soft RLIMIT_NOFILE to its hard limit (children
// started later inherit it); an Error when even that is below `needed`.
Status raise_file_limit(std::size_t needed);

class IdleClients {
 public:
  explicit IdleClients(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~IdleClients();
  IdleClients(const IdleClients&) = delete;
  IdleClients& operator=(const IdleClients&) = delete;

  // Opens `count` more connections from `source`, each sending
  // "GET /healthz" (keep-alive) and reading the answer; an Error naming the
  // first one that was not answered 200 within the timeout.
  Status open(std::size_t count, const std::string& source = "127.0.0.1");
  // Opens one connection that sends `bytes` (e.g. half a request) and does
  // not wait for an answer: a connection busy mid-request.
  Status open_busy(const std::string& bytes, const std::string& source = "127.0.0.1");
  std::size_t size() const;

  // Whether the server has closed connection `index` (EOF or reset): a
  // look at the socket now, without waiting.
  bool closed(std::size_t index);
  // Waits up to `timeout` for the server to close connection `index`: when
  // that was seen, or nullopt when it is still open.
  std::optional<std::chrono::steady_clock::time_point> wait_closed(
      std::size_t index, std::chrono::milliseconds timeout);
  // The indexes of the connections still open now.
  std::vector<std::size_t> open_ones();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One /healthz probe on a new connection (from `source`), as a monitoring
// check does it: how long until the whole 200 answer was in, or an Error
// (refused, closed, another status, or no answer within `timeout`).
Result<std::chrono::microseconds> probe_healthz(std::uint16_t port,
                                                std::chrono::milliseconds timeout,
                                                const std::string& source = "127.0.0.1");

// `count` such probes one after another, and what came of them.
struct Probes {
  int asked = 0;
  std::vector<std::chrono::microseconds> took;  // of those answered, in order
  std::string first_error;                      // "" when all were answered
  int answered() const { return static_cast<int>(took.size()); }
  // "80 of 80 answered within 1000 ms, median 0.2 ms, max 1.3 ms" and the first error.
  std::string summary(std::chrono::milliseconds timeout) const;
};
Probes probe_healthz(std::uint16_t port, int count, std::chrono::milliseconds timeout,
                     const std::string& source = "127.0.0.1");

}  // namespace kutsu::admin::testing
