#include "console/admin_client.h"

#include <curl/curl.h>

#include <mutex>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

namespace kutsu::console {
namespace {

constexpr long kConnectTimeoutMs = 5'000;
constexpr long kTimeoutMs = 20'000;
// Far above any answer the API gives (a page is at most 1,000 notifications).
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (body->size() + bytes > kMaxBodyBytes) return 0;  // curl stops with CURLE_WRITE_ERROR
  body->append(data, bytes);
  return bytes;
}

// curl_global_init is not thread-safe and must come before any other call.
Status init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK)
    return Error{std::string("curl_global_init: ") + curl_easy_strerror(result)};
  return {};
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

bool append(Slist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown == nullptr) return false;
  (void)list.release();  // grown is the same head, or the first node
  list.reset(grown);
  return true;
}

// The "error" of an API error body, when there is one.
std::string reason_in(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    if (const boost::json::value* error = parsed.as_object().if_contains("error");
        error != nullptr && error->is_string()) {
      return std::string(error->as_string());
    }
  }
  return body.size() <= 200 ? body : body.substr(0, 200) + "…";
}

}  // namespace

struct AdminClient::Handle {
  CURL* easy = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

Result<AdminClient> AdminClient::open(std::string base_url, std::optional<config::Secret> token) {
  while (base_url.ends_with('/')) base_url.pop_back();
  boost::system::result<boost::urls::url_view> url = boost::urls::parse_absolute_uri(base_url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || !url->has_authority()) {
    return Error{"'" + base_url + "' is not an http:// or https:// URL"};
  }
  if (Status ready = init_curl_once(); !ready) return ready.error();
  auto handle = std::make_unique<Handle>();
  handle->easy = curl_easy_init();
  if (handle->easy == nullptr) return Error{"curl_easy_init failed"};
  return AdminClient(std::move(base_url), std::move(token), std::move(handle));
}

AdminClient::AdminClient(std::string base_url, std::optional<config::Secret> token,
                         std::unique_ptr<Handle> handle)
    : base_url_(std::move(base_url)), token_(std::move(token)), handle_(std::move(handle)) {}

AdminClient::~AdminClient() = default;
AdminClient::AdminClient(AdminClient&&) noexcept = default;
AdminClient& AdminClient::operator=(AdminClient&&) noexcept = default;

Result<boost::json::value> AdminClient::get(std::string_view path_and_query) {
  CURL* easy = handle_->easy;
  const std::string url = base_url_ + std::string(path_and_query);
  const std::string request = "GET " + std::string(path_and_query);
  std::string body;

  Slist headers;
  if (!append(headers, "Accept: application/json") ||
      (token_ && !append(headers, "Authorization: Bearer " + token_->reveal()))) {
    return Error{request + ": out of memory"};
  }
  handle_->error[0] = '\0';
  struct Option {
    CURLcode rc;
    const char* name;
  };
  const Option options[] = {
      {curl_easy_setopt(easy, CURLOPT_URL, url.c_str()), "URL"},
      {curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L), "HTTPGET"},
      {curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get()), "HTTPHEADER"},
      {curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &collect), "WRITEFUNCTION"},
      {curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body), "WRITEDATA"},
      {curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, handle_->error), "ERRORBUFFER"},
      {curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs), "CONNECTTIMEOUT_MS"},
      {curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, kTimeoutMs), "TIMEOUT_MS"},
      {curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL"},
      {curl_easy_setopt(easy, CURLOPT_PROXY, ""), "PROXY"},
      {curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR"},
  };
  for (const Option& option : options) {
    if (option.rc != CURLE_OK) {
      return Error{std::string("curl option ") + option.name + ": " +
                   curl_easy_strerror(option.rc)};
    }
  }

  const CURLcode performed = curl_easy_perform(easy);
  // The list dies with this call; the handle must not keep pointing at it.
  const CURLcode unset = curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  if (performed == CURLE_COULDNT_CONNECT) return Error{"no daemon answers at " + base_url_};
  if (performed != CURLE_OK) {
    const std::string why =
        handle_->error[0] != '\0' ? handle_->error : curl_easy_strerror(performed);
    return Error{"cannot ask " + url + ": " + why};
  }
  if (unset != CURLE_OK)
    return Error{std::string("curl option HTTPHEADER: ") + curl_easy_strerror(unset)};

  long code = 0;
  if (CURLcode rc = curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code); rc != CURLE_OK) {
    return Error{request + ": " + curl_easy_strerror(rc)};
  }
  if (code == 401) {
    if (!token_) {
      return Error{"the daemon at " + base_url_ +
                   " wants the admin token: give --token-file FILE or --config FILE"};
    }
    return Error{"the token was refused by the daemon at " + base_url_};
  }
  if (code < 200 || code > 299) {
    return Error{request + ": the daemon answered " + std::to_string(code) + ": " +
                 reason_in(body)};
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec) return Error{request + ": the answer is not JSON: " + ec.message()};
  return parsed;
}

}  // namespace kutsu::console
