// The series as a calendar to subscribe to (GET /series/{id}.ics): one
// iCalendar PUBLISH with a VEVENT per session, so a person can add the whole
// programme to their calendar app and see it follow every change.
//
// Each event carries the UID and SEQUENCE the e-mails carry (ical_builder.h),
// so a calendar that already has a session from an invitation updates that
// event instead of adding a second one. Cancelled sessions stay in the feed
// as STATUS:CANCELLED: a subscriber's client removes or strikes them, which
// dropping them from the feed would not reliably do. The description is the
// `session.txt` template in the series' language, as in invitations; the
// link is the session's or the series' — never a participant's personal one,
// since the feed is not addressed to anyone.
//
// The calendar is named after the series (NAME, X-WR-CALNAME), so a
// subscription does not show up as the feed's address, and asks to be
// fetched again every hour (REFRESH-INTERVAL, X-PUBLISHED-TTL). The series'
// `calendar_alarm` becomes a VALARM in each event, as in invitations.
//
// The public calendar (GET /calendar.ics) gathers every series marked
// `public = true` into one feed of the same events, each in its series' zone
// with its organiser, but without any join link: it is read by anyone, and
// the link is for those invited.
//
// Pure: the same series, sequences and stamp give the same bytes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "agenda/series.h"
#include "base/result.h"
#include "notifier/template_source.h"

namespace kutsu::notifier {

// `sequence_of(session id)`: the SEQUENCE the session is at.
Result<std::string> series_feed(const agenda::Series& series, const TemplateSource& templates,
                                const std::function<int(std::string_view)>& sequence_of,
                                date::sys_seconds stamp);

struct FeedSeries {
  const agenda::Series* series = nullptr;
  std::function<int(std::string_view)> sequence_of;
};

// Fails with not_found when `public_series` is empty (a calendar needs an event).
Result<std::string> public_feed(const std::vector<FeedSeries>& public_series, const TemplateSource& templates,
                                std::string_view name, date::sys_seconds stamp);

}  // namespace kutsu::notifier
