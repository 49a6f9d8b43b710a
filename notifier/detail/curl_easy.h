// Small owners for libcurl handles and a checked way to set many options,
// shared by the SMTP and webhook transports. Not part of notifier's API.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::notifier::detail {

struct EasyCleanup {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

// Appends `item` to `list`; false when curl could not allocate (the list is
// left as it was).
inline bool append(Slist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown == nullptr) return false;
  (void)list.release();  // curl_slist_append returned the same head (or the new one)
  list.reset(grown);
  return true;
}

// Sets options one after another and remembers the first one curl refused,
// so a block of twenty options is checked once without hiding a failure.
class EasyOptions {
 public:
  explicit EasyOptions(CURL* easy) : easy_(easy) {}

  template <typename T>
  EasyOptions& set(CURLoption option, T value, std::string_view name) {
    if (failed_) return *this;
    CURLcode rc = curl_easy_setopt(easy_, option, value);
    if (rc != CURLE_OK) {
      failed_ = true;
      error_ = "curl option " + std::string(name) + ": " + curl_easy_strerror(rc);
    }
    return *this;
  }

  Status status() const {
    if (failed_) return Error{error_};
    return {};
  }

 private:
  CURL* easy_;
  bool failed_ = false;
  std::string error_;
};

}  // namespace kutsu::notifier::detail
