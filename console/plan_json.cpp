// `kutsu plan --format json`: see plan_output.h for the format.
#include <unordered_map>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

#include "console/output_buffer.h"
#include "console/plan_output.h"
#include "model/time_format.h"

namespace kutsu::console {
namespace {

using model::Notification;
using scheduler::Plan;

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

// The strings of one series as JSON, escaped once instead of once per
// notification, and the due times of the last notification written.
class SeriesStrings {
 public:
  explicit SeriesStrings(const Plan& plan) : plan_(plan), series_(json_string(plan.series->id)) {
    const agenda::Series& series = *plan.series;
    for (const agenda::Session& session : series.sessions) {
      sessions_.push_back(json_string(session.id));
    }
    for (const agenda::Participant& participant : series.participants) {
      participants_.push_back(json_string(participant.email));
    }
    for (const agenda::NameRef& endpoint : series.webhooks) {
      endpoints_.push_back(json_string(endpoint.name));
    }
  }

  const std::string& series() const { return series_; }
  const std::string& session(const agenda::Session& session) const {
    return sessions_[static_cast<std::size_t>(&session - plan_.series->sessions.data())];
  }
  const std::string& recipient(const Notification& n) const {
    if (n.participant) {
      return participants_[static_cast<std::size_t>(n.participant -
                                                    plan_.series->participants.data())];
    }
    for (std::size_t i = 0; i < endpoints_.size(); ++i) {
      if (plan_.series->webhooks[i].name.data() == n.recipient.data()) return endpoints_[i];
    }
    fallback_ = json_string(n.recipient);
    return fallback_;
  }

  const std::string& offset(const agenda::Reminder& reminder) {
    auto [it, inserted] = offsets_.try_emplace(&reminder);
    if (inserted) it->second = '"' + reminder.written_before() + '"';
    return it->second;
  }
  // The reminder's `at` ("09:00:00") or null.
  const std::string& at(const agenda::Reminder& reminder) {
    auto [it, inserted] = ats_.try_emplace(&reminder);
    if (inserted) it->second = reminder.at ? '"' + reminder.written_at() + '"' : std::string("null");
    return it->second;
  }

  // Sorted output repeats each due time many times in a row: format it once.
  void set_due(date::sys_seconds due) {
    if (due_ && *due_ == due) return;
    due_ = due;
    due_utc_ = model::format_utc(due);
    due_local_ = model::format_in_zone(due, *plan_.series->zone);
  }
  const std::string& due_utc() const { return due_utc_; }
  const std::string& due_local() const { return due_local_; }

 private:
  const Plan& plan_;
  std::string series_;
  std::vector<std::string> sessions_;
  std::vector<std::string> participants_;
  std::vector<std::string> endpoints_;
  mutable std::string fallback_;
  std::unordered_map<const agenda::Reminder*, std::string> offsets_;
  std::unordered_map<const agenda::Reminder*, std::string> ats_;
  std::optional<date::sys_seconds> due_;
  std::string due_utc_;
  std::string due_local_;
};

void write_object(const Notification& n, const Plan& plan, SeriesStrings& strings,
                  const PlanOutputOptions& options, OutputBuffer& out) {
  std::array<char, 32> id = n.id.hex();
  out.append("{\"id\":\"");
  out.append(std::string_view(id.data(), id.size()));
  out.append("\",\"series\":");
  out.append(strings.series());
  out.append(",\"session\":");
  out.append(n.session ? std::string_view(strings.session(*n.session)) : "null");
  out.append(",\"kind\":\"");
  out.append(to_string(n.kind));
  out.append("\",\"offset\":");
  out.append(n.reminder ? std::string_view(strings.offset(*n.reminder)) : "null");
  out.append(",\"at\":");
  out.append(n.reminder ? std::string_view(strings.at(*n.reminder)) : "null");
  out.append(",\"channel\":\"");
  out.append(agenda::to_string(n.channel));
  out.append("\",\"recipient\":");
  out.append(strings.recipient(n));
  strings.set_due(n.due);
  out.append(",\"due\":\"");
  out.append(strings.due_utc());
  out.append("\",\"due_local\":\"");
  out.append(strings.due_local());
  out.append('"');
  if (options.now) {
    scheduler::DueState state =
        options.misfire_rule.classify(n.kind, n.due, plan.span_of(n), *options.now);
    out.append(",\"state\":\"");
    out.append(to_string(state));
    out.append('"');
  }
  out.append('}');
}

}  // namespace

Status write_plan_json(const std::vector<const Plan*>& plans, const PlanOutputOptions& options,
                       std::FILE* file) {
  OutputBuffer out(file);
  std::vector<SeriesStrings> strings;
  strings.reserve(plans.size());
  for (const Plan* plan : plans) strings.emplace_back(*plan);

  // Each plan is sorted; merge them by (due, id). There are few plans, so
  // picking the smallest head each time is cheap enough.
  std::vector<std::size_t> next(plans.size(), 0);
  bool first = true;
  out.append('[');
  for (;;) {
    std::size_t best = plans.size();
    for (std::size_t p = 0; p < plans.size(); ++p) {
      if (next[p] == plans[p]->notifications.size()) continue;
      const Notification& candidate = plans[p]->notifications[next[p]];
      if (best == plans.size()) {
        best = p;
        continue;
      }
      const Notification& current = plans[best]->notifications[next[best]];
      if (candidate.due < current.due ||
          (candidate.due == current.due && candidate.id < current.id)) {
        best = p;
      }
    }
    if (best == plans.size()) break;
    out.append(first ? "\n" : ",\n");
    first = false;
    write_object(plans[best]->notifications[next[best]], *plans[best], strings[best], options, out);
    ++next[best];
  }
  out.append(first ? "]\n" : "\n]\n");
  return out.finish();
}

}  // namespace kutsu::console
