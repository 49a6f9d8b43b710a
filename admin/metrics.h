// GET /metrics: the daemon's figures in the Prometheus text exposition
// format, version 0.0.4 (HELP and TYPE before each family, label values
// escaped, a histogram as cumulative _bucket{le} series ending in +Inf, then
// _sum and _count).
//
// Families: kutsu_build_info, kutsu_notifications{state,kind} (every state ×
// every kind, zeros included, so that a series never disappears),
// kutsu_pending_notifications (pending + retrying),
// kutsu_next_due_timestamp_seconds (absent when nothing is due),
// kutsu_delivery_attempts_total{channel,result},
// kutsu_notification_lateness_seconds (histogram), kutsu_reload_errors_total,
// kutsu_series_loaded, kutsu_started_timestamp_seconds.
//
// A pure function of its inputs: the caller reads the outbox (through
// OutboxFiguresCache) and the daemon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/delivery_stats.h"
#include "store/rows.h"

namespace kutsu::admin {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

struct MetricsInput {
  std::string_view version;
  const std::vector<store::KindStateCounts>* kind_counts = nullptr;
  std::int64_t pending = 0;  // pending + retrying
  std::optional<store::Instant> next_due;
  const scheduler::DeliveryStats* delivery = nullptr;
  std::uint64_t reload_errors = 0;
  std::size_t series_loaded = 0;
  store::Instant started_at;
  bool store_healthy = true;
  std::uint64_t store_errors = 0;  // outbox failures about the disk or the file
};

std::string render_metrics(const MetricsInput& input);

// A label value with backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

}  // namespace kutsu::admin
