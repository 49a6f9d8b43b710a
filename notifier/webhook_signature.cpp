#include "notifier/webhook_signature.h"

#include "base/base64.h"
#include "base/hmac.h"

namespace kutsu::notifier {

Result<WebhookSigner> WebhookSigner::from_secret(std::string_view secret) {
  constexpr std::string_view prefix = "whsec_";
  if (secret.starts_with(prefix)) secret.remove_prefix(prefix.size());
  Result<std::string> key = base64_decode(secret);
  if (!key)
    return Error{"webhook secret is not \"whsec_\" followed by base64 (" + key.error().message +
                 ")"};
  if (key->empty()) return Error{"webhook secret is empty"};
  return WebhookSigner(std::move(*key));
}

std::string WebhookSigner::sign(std::string_view id, date::sys_seconds timestamp,
                                std::string_view body) const {
  std::string content;
  std::string seconds = std::to_string(timestamp.time_since_epoch().count());
  content.reserve(id.size() + seconds.size() + body.size() + 2);
  content.append(id).append(".").append(seconds).append(".").append(body);
  return "v1," + base64_encode(hmac_sha256(key_, content));
}

}  // namespace kutsu::notifier
