// RenderContext: what rendering needs beyond the notification itself — the
// facts that live in the daemon config and the outbox, not in the series.
//
// Rendering is a pure function of (Notification, RenderContext): the same
// inputs give the same bytes, which is why `now` is passed in (it becomes the
// Date header and the calendar DTSTAMP) and the system clock is never read.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "model/opt_out_link.h"
#include "model/series_times.h"

namespace kutsu::notifier {

// What the outbox knows about earlier versions of one session.
struct SessionRevision {
  // iCalendar SEQUENCE: 0 for the first version a recipient saw, higher for
  // every change sent since (RFC 5545 3.8.7.4). Calendar clients ignore an
  // update or cancellation whose SEQUENCE is not above the one they have,
  // so the caller must raise it for every update and cancellation.
  int sequence = 0;
  // The times recipients were last told, for "the time has changed" in an
  // update; unset when unknown or unchanged.
  std::optional<date::sys_seconds> previous_start;
  std::optional<date::sys_seconds> previous_end;
};

struct RenderContext {
  // The From header, "Display Name <address>" or a bare address (the
  // daemon's [email].from). Its domain also names the Message-ID.
  std::string from;
  // The moment of rendering: the Date header and DTSTAMP.
  date::sys_seconds now;
  // The revision of a session by its id; empty means "sequence 0, no
  // history" for every session (the first render of a fresh series).
  std::function<SessionRevision(std::string_view session_id)> revision;

  // The converted times of the notification's series when the caller has
  // them (the service's plan): a webhook then needs no conversion of the
  // whole series per call, which made a burst for a series of 5,000 sessions
  // quadratic. Ignored unless parallel to the series' sessions.
  const model::SeriesTimes* series_times = nullptr;
  // Signs each recipient's opt-out link (List-Unsubscribe and the link in
  // the text); none: messages carry neither (previews without a daemon).
  // Must outlive the rendering.
  const model::OptOutLinks* opt_out_links = nullptr;

  SessionRevision revision_of(std::string_view session_id) const {
    return revision ? revision(session_id) : SessionRevision{};
  }
};

}  // namespace kutsu::notifier
