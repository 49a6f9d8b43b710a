// GET /calendar: the public event calendar, one HTML page anyone may read
// (no token): the sessions still to come of every series marked
// `public = true`, by day, each with its time and zone, place, speakers and
// series, and links to subscribe (/calendar.ics for all of them,
// /series/{id}.ics for one).
//
// What it never shows: join links (they are for those invited), the
// organiser's address, participants. Built on the server, without script,
// so that it reads the same in every browser and screen reader; every text
// from a series file is HTML-escaped.
#pragma once

#include <string>
#include <vector>

#include "admin/daemon_view.h"
#include "store/outbox.h"

namespace kutsu::admin {

// Sessions ending at or after `now`, at most a year ahead and 500 in all.
std::string public_calendar_page(const std::vector<SeriesView>& series, store::Instant now);

}  // namespace kutsu::admin
