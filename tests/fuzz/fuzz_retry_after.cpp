// libFuzzer target: a webhook receiver's Retry-After header value →
// notifier::parse_retry_after, and the answer on to where the daemon takes
// it: the dispatcher's RetryPolicy::next_attempt (default [delivery]
// settings) and the instant as the log and the outbox write it. UBSan
// watches the arithmetic: a receiver must not be able to overflow the clock.
//
// Checked besides: a wait is never negative, the next attempt never before
// now, and the same value read twice gives the same.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "notifier/retry_after.h"
#include "scheduler/retry_policy.h"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "retry_after: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace std::chrono;
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  // 2022-02-02T15:00:00Z, and the last second the outbox's years reach.
  for (const date::sys_seconds now :
       {date::sys_seconds{date::sys_days{date::year{2022} / 2 / 2} + 15h},
        date::sys_seconds{date::sys_days{date::year{2037} / 12 / 31} + 86399s}}) {
    const std::optional<seconds> wait = kutsu::notifier::parse_retry_after(value, now);
    if (wait != kutsu::notifier::parse_retry_after(value, now)) finding("not repeatable");
    if (!wait) continue;
    if (*wait < seconds::zero()) finding("a negative wait");
    const std::optional<date::sys_seconds> next =
        kutsu::scheduler::RetryPolicy{}.next_attempt(1, now, wait, 0.5);
    if (!next || *next < now) finding("the next attempt is before now");
    static_cast<void>(date::format("%FT%TZ", *next));
  }
  return 0;
}
