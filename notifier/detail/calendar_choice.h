// Which calendar part a notification's e-mail carries, following the rules
// in ical_builder.h: reminders none; an invitation the sessions that are not
// cancelled (REQUEST for one, PUBLISH for several, none if all are off); an
// update a REQUEST and a cancellation a CANCEL for their one session.
#pragma once

#include <optional>
#include <vector>

#include "model/notification.h"
#include "notifier/ical_builder.h"

namespace kutsu::notifier::detail {

struct CalendarChoice {
  CalendarMethod method = CalendarMethod::request;
  std::vector<const agenda::Session*> sessions;  // in file order, at least one
};

std::optional<CalendarChoice> choose_calendar(const model::Notification& notification);

}  // namespace kutsu::notifier::detail
