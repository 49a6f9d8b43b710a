// AdminClient: asks a running daemon's admin API (admin-api.md) for JSON,
// for `kutsu status`. Blocking, one request at a time over one libcurl easy
// handle (the connection is kept alive between requests); meant for a
// one-shot command, never for the daemon's event loop.
//
// Failures come back as one sentence a person can act on:
//   nothing listens            → "no daemon answers at URL"
//   401                        → "the token was refused" (or, when no token
//                                was given, that the daemon wants one)
//   any other non-2xx          → "GET PATH: the daemon answered 404: reason"
//   not JSON, curl's own error → the request and curl's or the parser's words
// Proxies from the environment are ignored: the admin API is reached
// directly. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "base/result.h"
#include "config/secret.h"

namespace kutsu::console {

class AdminClient {
 public:
  // `base_url` is "http://127.0.0.1:8470" (a trailing slash is ignored).
  static Result<AdminClient> open(std::string base_url, std::optional<config::Secret> token);
  ~AdminClient();
  AdminClient(AdminClient&&) noexcept;
  AdminClient& operator=(AdminClient&&) noexcept;

  // GET base_url + path_and_query ("/api/v1/status"), its body parsed as JSON.
  Result<boost::json::value> get(std::string_view path_and_query);

  const std::string& base_url() const { return base_url_; }

 private:
  struct Handle;
  AdminClient(std::string base_url, std::optional<config::Secret> token,
              std::unique_ptr<Handle> handle);

  std::string base_url_;
  std::optional<config::Secret> token_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace kutsu::console
