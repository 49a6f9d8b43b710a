// build_mime's bytes for a burst, without building a GMime object tree per
// message.
//
// Building, writing and freeing GMime's objects cost about 80 % of rendering
// a reminder, yet a burst sends one session's message to thousands of people
// and only a few pieces differ between them: the To header, the
// notification id (Message-Id and the MIME boundaries) and the bodies. A
// skeleton is GMime's whole output for one message *shape* — everything else
// (From, Reply-To, Subject, Date, language, calendar method) — cut where
// those pieces go. Filling it encodes each piece with GMime's own encoders,
// exactly as GMime's writer does: the To line with internet_address_list_encode,
// the bodies through GMime's quoted-printable or base64 filter and its CRLF
// filter; the id goes in as it is (it must be 32 hex digits, like the ids
// the renderer uses, so that nothing around it can fold or quote
// differently).
//
// Exactness is checked, not assumed: a skeleton is cut from a message built
// with sentinel pieces and kept only if filling it gives byte for byte what
// build_mime gives both for a second set of sentinels and for the real
// message that asked for it. A shape that fails the check, a message whose
// pieces do not fit (an empty body, an id that is not 32 hex digits) and a
// shape seen only once are built by build_mime itself. Tests compare both
// paths on adversarial input (tests/notifier/render_mime_skeleton_test.cpp).
//
// Thread-safe; skeletons are immutable once made. Bounded: the cache starts
// over past a few dozen shapes (the Date is part of the shape, so a steady
// stream makes a new one every second).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "base/result.h"
#include "notifier/mime_builder.h"

namespace kutsu::notifier::detail {

class MimeSkeletons {
 public:
  // The same bytes as build_mime(content).
  Result<std::string> build(const MailContent& content);

  // How many messages were filled from a skeleton (for tests and benchmarks).
  long filled() const;

  struct Skeleton;  // defined in mime_skeleton.cpp

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_once_;
  // A null entry: the shape failed the check; always use build_mime for it.
  std::unordered_map<std::string, std::shared_ptr<const Skeleton>> skeletons_;
  std::atomic<long> filled_{0};
};

}  // namespace kutsu::notifier::detail
