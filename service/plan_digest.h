// plan_digest: the fingerprint of a plan that Outbox::apply_plan keeps and
// compares (store::ApplyOptions::plan_digest), so that a start or reload
// that plans a series' rows exactly as last time reads none of them.
//
// SHA-256 over the series version (the file's content hash, which
// PostgreSQL stamps on every row) and every row's id and due, in the
// order given: all that a diff compares. Kind, channel and recipient are
// part of the id. The planner gives the same order for the same input;
// another order only costs one full comparison.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "store/planned_rows.h"

namespace kutsu::service {

Result<std::string> plan_digest(std::string_view series_version, const store::PlannedRows& rows);

}  // namespace kutsu::service
