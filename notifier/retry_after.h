// Reading an HTTP Retry-After header (RFC 9110, section 10.2.3): either
// delay-seconds ("7") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", and
// the two obsolete date forms receivers must still accept). The answer is how
// long to wait counted from `now`; a date already past means zero, and a
// wait over kMaxRetryAfter (a day) is cut to it, so that a receiver can
// neither park a notification for years nor overflow the clock of the
// retry that follows. Anything unreadable gives nullopt, so the caller falls
// back to its own backoff.
#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string_view>

namespace kutsu::notifier {

inline constexpr std::chrono::seconds kMaxRetryAfter = std::chrono::hours(24);

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      date::sys_seconds now);

}  // namespace kutsu::notifier
