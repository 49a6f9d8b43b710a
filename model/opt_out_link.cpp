#include "model/opt_out_link.h"

#include "base/ascii.h"
#include "base/base64.h"
#include "base/hmac.h"

namespace kutsu::model {
namespace {

// Bounds what read() decodes: a series id and an address fit many times over.
constexpr std::size_t kLongestValue = 2048;

std::string signed_text(std::string_view subject) {
  return "kutsu opt-out\n" + std::string(subject);
}

}  // namespace

OptOutLinks::OptOutLinks(std::string public_url, std::string key)
    : public_url_(std::move(public_url)), key_(std::move(key)) {
  while (public_url_.ends_with('/')) public_url_.pop_back();
}

std::string OptOutLinks::value(std::string_view series_id, std::string_view recipient) const {
  const std::string subject = std::string(series_id) + "\n" + ascii_lowercase(recipient);
  return base64url_encode(subject) + "." + base64url_encode(hmac_sha256(key_, signed_text(subject)));
}

std::string OptOutLinks::url(std::string_view series_id, std::string_view recipient) const {
  return public_url_ + "/u/" + value(series_id, recipient);
}

std::optional<OptOutSubject> OptOutLinks::read(std::string_view value) const {
  if (value.size() > kLongestValue) return std::nullopt;
  const std::size_t dot = value.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  Result<std::string> subject = base64url_decode(value.substr(0, dot));
  Result<std::string> mac = base64url_decode(value.substr(dot + 1));
  if (!subject || !mac) return std::nullopt;
  if (!same_mac(*mac, hmac_sha256(key_, signed_text(*subject)))) return std::nullopt;
  const std::size_t newline = subject->find('\n');
  if (newline == std::string::npos) return std::nullopt;
  OptOutSubject found{subject->substr(0, newline), subject->substr(newline + 1)};
  if (found.series_id.empty() || found.recipient.empty()) return std::nullopt;
  return found;
}

}  // namespace kutsu::model
