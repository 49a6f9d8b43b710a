// OptOutLinks: the opt-out link in every e-mail (interfaces.md, GET/POST
// /u/{value}) and reading it back. The value names one series and one
// recipient and carries an HMAC-SHA256 over both under the outbox's key
// (store::Outbox::opt_out_key), so it needs no token, cannot be guessed for
// another address, and any change to it is refused:
//
//   value = base64url(series_id "\n" address) "." base64url(HMAC(key, "kutsu opt-out\n" series_id "\n" address))
//
// with the address ASCII-lowercased, as opt-outs are kept. The address is
// readable by whoever holds the link (the recipient's own mail); that keeps
// links valid whatever becomes of the participants file.
//
// Immutable once made; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kutsu::model {

struct OptOutSubject {
  std::string series_id;
  std::string recipient;  // lowercased

  friend bool operator==(const OptOutSubject&, const OptOutSubject&) = default;
};

class OptOutLinks {
 public:
  // `public_url`: where participants reach the daemon ([http] public_url),
  // e.g. "https://kutsu.example.org" (a trailing slash is dropped).
  OptOutLinks(std::string public_url, std::string key);

  std::string value(std::string_view series_id, std::string_view recipient) const;
  // public_url + "/u/" + value.
  std::string url(std::string_view series_id, std::string_view recipient) const;
  // The series and recipient of a value made with this key; none for
  // anything else (altered, truncated, another key, not a value at all).
  std::optional<OptOutSubject> read(std::string_view value) const;

  const std::string& public_url() const { return public_url_; }

 private:
  std::string public_url_;
  std::string key_;
};

}  // namespace kutsu::model
