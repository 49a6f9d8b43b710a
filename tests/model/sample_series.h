// Series values built by hand for model and scheduler tests, so that time
// rules and plans can be tested without the TOML parser. Each helper returns
// a small valid series in a named zone; tests change the fields they are
// about. (Here, the lowest layer that uses them; scheduler tests too.)
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>

#include "agenda/series.h"

namespace kutsu::model::testing {

// A wall-clock reading as a file would write it, e.g. local(2022, 2, 2, 18, 0).
agenda::WrittenTime local(int year, unsigned month, unsigned day, int hour, int minute,
                          SourcePos pos = {});
// The same reading written with an offset: "…T18:00:00+02:00".
agenda::WrittenTime with_offset(int year, unsigned month, unsigned day, int hour, int minute,
                                std::chrono::minutes offset, SourcePos pos = {});
// An instant in UTC: utc(2022, 2, 1, 7, 0) is 2022-02-01T07:00:00Z.
date::sys_seconds utc(int year, unsigned month, unsigned day, int hour, int minute);

agenda::Duration days(int n);
agenda::Duration hours(int n);

agenda::Reminder reminder(agenda::Duration before, SourcePos pos = {});

// A participant with the given address and `;`-free list of roles.
agenda::Participant participant(std::string email, std::vector<std::string> roles = {});

// A session of 90 minutes starting at `start` (local reading).
agenda::Session session(std::string id, agenda::WrittenTime start);

// "webinaarit" in Europe/Helsinki, file "webinaarit.toml", no sessions, no
// participants, no reminders, no invitation.
agenda::Series empty_series(std::string_view zone = "Europe/Helsinki");

// empty_series() with two people (matti@ and liisa@example.org) invited on
// 2022-01-19 09:00 to one session, "verkosto", on 2022-02-02 18:00 Helsinki
// (16:00Z – 17:30Z), with a one-hour reminder.
agenda::Series invited_series();

}  // namespace kutsu::model::testing
