// NotificationIdHasher: the deterministic id of a notification.
//
// The id is the first 16 bytes of SHA-256 over the identity fields of
// interfaces.md, encoded so that no two different identities share an input:
//
//   "kutsu-notification-v1"
//   then for each field, in this order: its length in bytes as 4 bytes
//   big-endian, then its bytes:
//     series id, session id ("" for an invitation), kind ("invitation",
//     "reminder", "update", "cancellation"), offset (the reminder's identity,
//     agenda::reminder_identity: Duration::canonical() of its `before`, with
//     "@HH:MM:SS" of its `at` only when another reminder of its list on a
//     shared channel has the same `before`; "" otherwise), channel ("email", "webhook"),
//     recipient (e-mail address with ASCII letters lower-cased, or the
//     webhook endpoint name as written), session start (unix seconds in
//     decimal, "0" for an invitation).
//
// Any other implementation that follows this recipe gets the same ids, on
// every machine. Changing the recipe changes every id, which makes the daemon
// supersede and re-plan everything it has stored: bump the version prefix.
//
// A hasher owns an OpenSSL digest context and a buffer that it reuses, so
// hashing a million identities allocates nothing. Not thread-safe: use one
// hasher per thread. Not copyable.
#pragma once

#include <string>
#include <string_view>

#include <date/date.h>

#include "agenda/channel.h"
#include "model/notification.h"

struct evp_md_ctx_st;
struct evp_md_st;

namespace kutsu::scheduler {

struct NotificationIdentity {
  std::string_view series;
  std::string_view session;  // empty for an invitation
  model::NotificationKind kind = model::NotificationKind::reminder;
  std::string_view offset;  // canonical `before` of a reminder, empty otherwise
  agenda::Channel channel = agenda::Channel::email;
  std::string_view recipient;       // lower-cased here for e-mail; pass it as written
  date::sys_seconds session_start;  // epoch for an invitation
};

class NotificationIdHasher {
 public:
  // Throws std::runtime_error if OpenSSL cannot provide SHA-256 (a broken
  // installation, not an input problem).
  NotificationIdHasher();
  ~NotificationIdHasher();
  NotificationIdHasher(const NotificationIdHasher&) = delete;
  NotificationIdHasher& operator=(const NotificationIdHasher&) = delete;

  // Throws std::runtime_error if OpenSSL fails (out of memory).
  model::NotificationId id_of(const NotificationIdentity& identity);

 private:
  void append_field(std::string_view bytes);

  evp_md_st* sha256_ = nullptr;
  evp_md_ctx_st* context_ = nullptr;
  std::string input_;
};

}  // namespace kutsu::scheduler
