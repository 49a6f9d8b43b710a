// What rendering hands to delivery: finished bytes, nothing left to decide.
//
// An EmailMessage is a complete RFC 5322 message (CRLF line ends, MIME
// already encoded) plus its envelope; SMTP, maildir and `kutsu preview` all
// write these same bytes, so what a test parses is what a participant gets.
// A WebhookCall is the JSON body; the Standard Webhooks signature is added at
// send time by delivery, because it covers the send timestamp.
#pragma once

#include <string>

namespace kutsu::notifier {

struct EmailMessage {
  std::string notification_id;  // for logs and the Message-ID
  std::string envelope_from;    // bare address for MAIL FROM
  std::string envelope_to;      // bare address for RCPT TO
  std::string bytes;            // the whole message, headers and body
};

struct WebhookCall {
  std::string notification_id;  // the webhook-id header, the same on every retry
  std::string endpoint;         // endpoint name from the daemon config
  std::string body;             // JSON as in interfaces.md
};

}  // namespace kutsu::notifier
