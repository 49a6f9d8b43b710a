// libFuzzer target: a server's bytes → detail::SmtpReplyReader, the parser
// SmtpConnection reads every reply of a mail transaction with
// (notifier/detail/smtp_wire.h), plus the EHLO keyword check and the DATA
// payload of the same unit.
//
// The first input byte picks how the rest is cut into reads (TCP may cut a
// reply anywhere), and the reader must come to the same replies and the same
// verdict (SMTP or not) as when it gets the bytes at once; a difference is a
// finding. Each reply's code must be its line's first three digits. The
// rest, taken as a message, must come out of data_payload() with exactly
// one CRLF.CRLF, at its end.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "notifier/detail/smtp_wire.h"

namespace {

using kutsu::notifier::detail::SmtpReply;
using kutsu::notifier::detail::SmtpReplyReader;

struct Outcome {
  bool smtp = true;
  std::vector<SmtpReply> replies;
  bool partial = false;
};

// Feeds `chunks` in order, taking replies as SmtpConnection does after each read.
Outcome read_all(const std::vector<std::string_view>& chunks) {
  SmtpReplyReader reader;
  Outcome outcome;
  for (std::string_view chunk : chunks) {
    if (!reader.feed(chunk)) {
      outcome.smtp = false;
      return outcome;
    }
    while (std::optional<SmtpReply> reply = reader.next()) outcome.replies.push_back(*reply);
  }
  outcome.partial = reader.has_partial();
  return outcome;
}

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "smtp_reply: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t cut = data[0] % 16 + 1;  // the size of each read, 1 to 16 bytes
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  const Outcome whole = read_all({bytes});
  std::vector<std::string_view> chunks;
  for (std::size_t at = 0; at < bytes.size(); at += cut) chunks.push_back(bytes.substr(at, cut));
  const Outcome pieces = read_all(chunks);

  if (whole.smtp != pieces.smtp) finding("the verdict depends on how the bytes were cut");
  if (whole.smtp) {
    if (whole.partial != pieces.partial) finding("a partial reply depends on the cut");
    if (whole.replies.size() != pieces.replies.size()) finding("reply count depends on the cut");
    for (std::size_t i = 0; i < whole.replies.size(); ++i) {
      const SmtpReply& a = whole.replies[i];
      const SmtpReply& b = pieces.replies[i];
      if (a.code != b.code || a.line != b.line) finding("a reply depends on the cut");
      if (a.code < 0 || a.code > 999 || a.line.size() < 3 ||
          std::to_string(a.code + 1000).substr(1) != a.line.substr(0, 3)) {
        finding("a reply's code is not its first three digits");
      }
      static_cast<void>(kutsu::notifier::detail::offers_extension(a.line, "PIPELINING"));
    }
  }

  const std::string payload = kutsu::notifier::detail::data_payload(bytes);
  const std::string framed = "\r\n" + payload;
  if (!payload.ends_with(".\r\n") || framed.find("\r\n.\r\n") != framed.size() - 5) {
    finding("the DATA payload ends before its end");
  }
  return 0;
}
