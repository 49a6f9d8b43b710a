// WebhookSigner: the Standard Webhooks signature for one endpoint's secret.
//
//   webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>
//
// where `key` is the base64-decoded part of the secret after "whsec_" (a
// secret without the prefix is decoded whole, as the reference libraries
// do). Signing the published test vector reproduces the specification's
// signature byte for byte (tests/notifier/delivery_signature_test.cpp), so
// receivers' off-the-shelf verifiers accept what Kutsu sends.
//
// A signer holds the decoded key; it is immutable and safe to share between
// threads. The key never appears in an error message.
#pragma once

#include <date/date.h>

#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::notifier {

class WebhookSigner {
 public:
  // Fails when the secret is not valid base64 (after an optional "whsec_")
  // or decodes to nothing.
  static Result<WebhookSigner> from_secret(std::string_view secret);

  // The whole header value, "v1,<base64>". Throws std::runtime_error only if
  // OpenSSL itself fails (out of memory), which the caller treats as a retry.
  std::string sign(std::string_view id, date::sys_seconds timestamp, std::string_view body) const;

 private:
  explicit WebhookSigner(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace kutsu::notifier
