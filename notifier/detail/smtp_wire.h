// The bytes of an SMTP mail transaction (RFC 5321) as SmtpConnection writes
// and reads them: the server's replies cut out of its byte stream, and a
// message made safe to send after DATA. Pure functions and one small parser,
// so the rules can be tested without a server. Not part of notifier's API.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace kutsu::notifier::detail {

struct SmtpReply {
  int code = 0;      // the three digits
  std::string line;  // its last line without CRLF ("550 5.1.1 <x@y>: no such user"): for people
};

// Cuts a server's byte stream into replies. A multi-line reply ("250-…"
// lines, then "250 …") is one reply. A line without a three-digit code, a
// continuation with another code, or a line over 4 KiB (without its CRLF)
// is not SMTP: feed() says so, and the reader is of no further use. The
// verdict and the replies do not depend on how the bytes are cut into
// feed() calls.
class SmtpReplyReader {
 public:
  bool feed(std::string_view bytes);
  std::optional<SmtpReply> next();  // the oldest complete reply not yet taken
  bool has_partial() const { return !partial_.empty() || continued_code_ != 0; }

 private:
  bool take_line(std::string_view line);

  std::string partial_;  // an unfinished line
  int continued_code_ = 0;
  std::deque<SmtpReply> ready_;
};

// `message` as the DATA payload: a line that starts with "." gets a second
// one (RFC 5321 4.5.2, "transparency"), and CRLF.CRLF ends it (a message not
// ending in CRLF gets one first).
std::string data_payload(std::string_view message);

// Whether one line of an EHLO reply ("250-PIPELINING", "250 SIZE 10240000")
// offers the extension `keyword`, compared without case.
bool offers_extension(std::string_view ehlo_line, std::string_view keyword);

}  // namespace kutsu::notifier::detail
