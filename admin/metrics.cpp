#include "admin/metrics.h"

#include <charconv>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include "agenda/channel.h"
#include "base/attempt_result.h"
#include "model/notification.h"

namespace kutsu::admin {

namespace {

using Label = std::pair<std::string_view, std::string_view>;

// A float the shortest way that reads back the same ("0.005", "1", "3600").
std::string number_text(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

// Appends families and samples in the exposition format.
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    text_ += help;  // constant text without backslashes or newlines
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
  }

  void sample(std::string_view name, std::initializer_list<Label> labels, std::string_view value) {
    text_ += name;
    if (labels.size() > 0) {
      text_ += '{';
      bool first = true;
      for (const auto& [label, label_value] : labels) {
        if (!first) text_ += ',';
        first = false;
        text_ += label;
        text_ += "=\"";
        text_ += escape_label_value(label_value);
        text_ += '"';
      }
      text_ += '}';
    }
    text_ += ' ';
    text_ += value;
    text_ += '\n';
  }
  void sample(std::string_view name, std::initializer_list<Label> labels, std::int64_t value) {
    sample(name, labels, std::to_string(value));
  }
  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

void notifications_by_state_and_kind(Exposition& out,
                                     const std::vector<store::KindStateCounts>& kind_counts) {
  // Every kind the planner knows, plus any other the store holds.
  std::map<std::string, store::StateCounts, std::less<>> by_kind;
  for (auto kind : {model::NotificationKind::invitation, model::NotificationKind::reminder,
                    model::NotificationKind::update, model::NotificationKind::cancellation}) {
    by_kind[std::string(to_string(kind))] = store::StateCounts{};
  }
  for (const store::KindStateCounts& kind : kind_counts) by_kind[kind.kind] = kind.counts;

  out.family("kutsu_notifications", "gauge", "Notifications in the outbox by state and kind.");
  for (store::NotificationState state : store::kAllNotificationStates) {
    for (const auto& [kind, counts] : by_kind) {
      out.sample("kutsu_notifications", {{"state", to_string(state)}, {"kind", kind}},
                 counts[state]);
    }
  }
}

void delivery_attempts(Exposition& out, const scheduler::DeliveryStats& stats) {
  // Zeros for every known channel and outcome, so that rate() sees the start.
  std::map<std::pair<std::string, AttemptOutcome>, std::uint64_t> attempts;
  for (auto channel : {agenda::Channel::email, agenda::Channel::webhook}) {
    for (AttemptOutcome outcome : kAllAttemptOutcomes) {
      attempts[{std::string(to_string(channel)), outcome}] = 0;
    }
  }
  for (const auto& [key, count] : stats.attempts()) attempts[key] = count;

  out.family("kutsu_delivery_attempts_total", "counter",
             "Delivery attempts since the daemon started, by channel and result.");
  for (const auto& [key, count] : attempts) {
    out.sample("kutsu_delivery_attempts_total",
               {{"channel", key.first}, {"result", to_string(key.second)}}, count);
  }
}

void lateness_histogram(Exposition& out, const scheduler::DeliveryStats::Histogram& lateness) {
  constexpr std::string_view kName = "kutsu_notification_lateness_seconds";
  out.family(kName, "histogram",
             "How late sent notifications went out: delivery finished minus due time.");
  const std::string bucket = std::string(kName) + "_bucket";
  const auto& bounds = scheduler::DeliveryStats::lateness_bounds;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    out.sample(bucket, {{"le", number_text(bounds[i])}}, lateness.cumulative[i]);
  }
  out.sample(bucket, {{"le", "+Inf"}}, lateness.count);
  out.sample(std::string(kName) + "_sum", {}, number_text(lateness.sum_seconds));
  out.sample(std::string(kName) + "_count", {}, lateness.count);
}

std::int64_t seconds_since_epoch(store::Instant at) { return at.time_since_epoch().count(); }

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        escaped += "\\\\";
        break;
      case '"':
        escaped += "\\\"";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string render_metrics(const MetricsInput& input) {
  Exposition out;
  out.family("kutsu_build_info", "gauge", "The running Kutsu version; always 1.");
  out.sample("kutsu_build_info", {{"version", input.version}}, std::int64_t{1});

  notifications_by_state_and_kind(out, *input.kind_counts);

  out.family("kutsu_pending_notifications", "gauge",
             "Notifications waiting to be sent (pending or retrying).");
  out.sample("kutsu_pending_notifications", {}, input.pending);

  if (input.next_due) {
    out.family("kutsu_next_due_timestamp_seconds", "gauge",
               "When the next notification becomes due, in Unix seconds.");
    out.sample("kutsu_next_due_timestamp_seconds", {}, seconds_since_epoch(*input.next_due));
  }

  delivery_attempts(out, *input.delivery);
  lateness_histogram(out, input.delivery->lateness());

  out.family("kutsu_reload_errors_total", "counter",
             "Series files that failed to load, over every load since start.");
  out.sample("kutsu_reload_errors_total", {}, input.reload_errors);

  out.family("kutsu_series_loaded", "gauge", "Series currently loaded.");
  out.sample("kutsu_series_loaded", {}, static_cast<std::uint64_t>(input.series_loaded));

  out.family("kutsu_store_healthy", "gauge",
             "1 while the outbox can write; 0 after a disk or file failure until a write succeeds.");
  out.sample("kutsu_store_healthy", {}, std::uint64_t{input.store_healthy ? 1u : 0u});
  out.family("kutsu_store_errors_total", "counter",
             "Outbox failures about the disk or the file (full, I/O error, read-only, damaged).");
  out.sample("kutsu_store_errors_total", {}, input.store_errors);

  out.family("kutsu_started_timestamp_seconds", "gauge",
             "When the daemon started, in Unix seconds.");
  out.sample("kutsu_started_timestamp_seconds", {}, seconds_since_epoch(input.started_at));
  return out.take();
}

}  // namespace kutsu::admin
