// The JSON body of a webhook call, exactly as interfaces.md ("Webhook")
// shows it, built with Boost.JSON:
//
//   {"type": "reminder", "id": "…", "offset": "PT1H",
//    "series": {"id": "…", "title": "…"},
//    "session": {"id": "…", "title": "…", "start": "2022-02-02T18:00:00+02:00",
//                "end": "2022-02-02T19:30:00+02:00", "join_url": "…", "speakers": ["…"]},
//    "due": "2022-02-02T15:00:00Z"}
//
// "offset" is the reminder's `before` exactly as the organiser wrote it
// ("PT60S" stays "PT60S") and null for other kinds. An update also has
// "previous": {"start": …, "end": …} after "session", the times recipients
// were told before the session moved (what the e-mail strikes through), or
// null when the outbox does not know them. An invitation covers the series: "session" is null and a
// "sessions" array lists every session that is not cancelled, in file order,
// each shaped like "session". start/end are the series-zone wall clock with
// the offset in force; "join_url" is the session's link (or the series'),
// null when there is none — personal links never leave in a webhook.
// Keys are written in the order above; no whitespace.
#pragma once

#include <optional>
#include <string>

#include "model/notification.h"
#include "model/series_times.h"

namespace kutsu::notifier {

// `times` must be the converted times of notification.series (parallel to
// its sessions), e.g. from model::convert_times or a scheduler Plan's times.
// `previous` is used by updates only.
std::string webhook_payload(const model::Notification& notification,
                            const model::SeriesTimes& times,
                            const std::optional<model::TimeSpan>& previous = std::nullopt);

}  // namespace kutsu::notifier
