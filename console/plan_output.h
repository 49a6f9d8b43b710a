// Writing plans for `kutsu plan`: as JSON for programs, as text for people.
//
// Both read one or more Plans (each pointing into its Series) and write to a
// C stream in large chunks, so a million notifications stream out without
// being held as text or as a JSON document. With `now`, each notification
// also gets the state the misfire rule gives it at that instant.
//
// JSON (interfaces.md): one array of every notification of every plan,
// sorted by due then id, one object per line, keys in this order: id, series,
// session (null for an invitation), kind, offset (a reminder's `before` as
// written, else null), at (a reminder's `at`, "09:00:00", else null), channel, recipient (address or endpoint name), due
// (UTC), due_local (series zone, numeric offset) and, with `now`, state
// (pending | overdue | missed). Strings are escaped by Boost.JSON.
//
// Text: per series, a header (id, title, zone, counts per kind and channel),
// then the invitation group, then each session in time order with its local
// date and time; one line per due moment, kind, offset and channel, with the
// recipients listed when there are at most three and counted otherwise.
//
// Failures to write (a closed pipe, a full disk) are returned, not thrown.
#pragma once

#include <cstdio>
#include <optional>
#include <vector>

#include <date/date.h>

#include "base/result.h"
#include "scheduler/misfire_rule.h"
#include "scheduler/planner.h"

namespace kutsu::console {

struct PlanOutputOptions {
  std::optional<date::sys_seconds> now;  // set: add each notification's state
  scheduler::MisfireRule misfire_rule;
};

Status write_plan_json(const std::vector<const scheduler::Plan*>& plans,
                       const PlanOutputOptions& options, std::FILE* out);

Status write_plan_text(const std::vector<const scheduler::Plan*>& plans,
                       const PlanOutputOptions& options, std::FILE* out);

}  // namespace kutsu::console
