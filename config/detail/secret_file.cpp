#include "config/detail/secret_file.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include "base/input_file.h"

namespace kutsu::config::detail {
namespace {

constexpr std::size_t kMaxSecretSize = 64 * 1024;
constexpr std::string_view kWebhookPrefix = "whsec_";

std::string os_error(int error) { return std::generic_category().message(error); }

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Wipes what it held on every way out, including the characters a move
// leaves behind in a short string's inline buffer.
struct WipedBuffer {
  std::string bytes;
  ~WipedBuffer() {
    bytes.resize(bytes.capacity());
    OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};

// Standard base64 (RFC 4648 section 4): groups of four from the alphabet,
// with at most two '=' of padding at the very end.
bool is_strict_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::string_view body = text;
  for (int pad = 0; pad < 2 && body.ends_with('='); ++pad) body.remove_suffix(1);
  return body.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") ==
         std::string_view::npos;
}

}  // namespace

std::filesystem::path resolve_secret_path(std::string_view written, const SecretLookup& lookup) {
  const std::filesystem::path path(written);
  if (path.is_absolute()) return path;
  if (lookup.credentials_dir) {
    const std::filesystem::path credential = *lookup.credentials_dir / path;
    std::error_code error;
    if (std::filesystem::exists(credential, error)) return credential;
  }
  return lookup.config_dir / path;
}

Result<Secret> read_secret_file(const std::filesystem::path& path) {
  Result<InputFd> file = open_input_file(path, InputFileKind{"a secret file", kMaxSecretSize});
  if (!file) return file.error();
  WipedBuffer buffer;
  char chunk[4096];
  for (;;) {
    const ssize_t got = ::read(file->get(), chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      OPENSSL_cleanse(chunk, sizeof chunk);
      return Error{"cannot read " + path.string() + ": " + os_error(errno)};
    }
    if (got == 0) break;
    buffer.bytes.append(chunk, static_cast<std::size_t>(got));
    if (buffer.bytes.size() > kMaxSecretSize) {
      OPENSSL_cleanse(chunk, sizeof chunk);
      return Error{path.string() + " is larger than 64 KiB; is it really a secret?"};
    }
  }
  OPENSSL_cleanse(chunk, sizeof chunk);
  std::string_view text = buffer.bytes;
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return Error{path.string() + " is empty"};
  return Secret(std::string(text));
}

Result<Secret> decode_webhook_secret(const Secret& secret, const std::filesystem::path& path) {
  const std::string& text = secret.reveal();
  const Error malformed{path.string() +
                        " does not hold a Standard Webhooks secret ('whsec_' followed by base64)"};
  if (!text.starts_with(kWebhookPrefix) || text.size() == kWebhookPrefix.size()) return malformed;
  const std::string_view encoded = std::string_view(text).substr(kWebhookPrefix.size());
  // OpenSSL's decoder is lenient in PEM's way (it skips whitespace and stops
  // quietly at '-'), so the alphabet and padding are checked first.
  if (!is_strict_base64(encoded)) return malformed;

  std::unique_ptr<EVP_ENCODE_CTX, void (*)(EVP_ENCODE_CTX*)> context(EVP_ENCODE_CTX_new(),
                                                                     &EVP_ENCODE_CTX_free);
  if (!context) return Error{"out of memory decoding " + path.string()};
  WipedBuffer key;
  key.bytes.resize(encoded.size());  // decoded is never longer than encoded
  int written = 0;
  int final_written = 0;
  EVP_DecodeInit(context.get());
  if (EVP_DecodeUpdate(context.get(), reinterpret_cast<unsigned char*>(key.bytes.data()), &written,
                       reinterpret_cast<const unsigned char*>(encoded.data()),
                       static_cast<int>(encoded.size())) < 0 ||
      EVP_DecodeFinal(context.get(), reinterpret_cast<unsigned char*>(key.bytes.data()) + written,
                      &final_written) != 1 ||
      written + final_written == 0) {
    return malformed;
  }
  key.bytes.resize(static_cast<std::size_t>(written + final_written));
  return Secret(std::move(key.bytes));
}

}  // namespace kutsu::config::detail
