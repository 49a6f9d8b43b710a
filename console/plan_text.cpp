// `kutsu plan` (text): see plan_output.h for the layout.
#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <string>
#include <tuple>

#include "console/output_buffer.h"
#include "console/plan_output.h"
#include "model/time_format.h"
#include "model/time_rules.h"

namespace kutsu::console {
namespace {

using model::Notification;
using model::NotificationKind;
using scheduler::DueState;
using scheduler::Plan;

constexpr std::size_t kListedRecipients = 3;  // more than this are counted, not listed

// Notifications that share one line: the same moment, kind, reminder and channel.
struct LineKey {
  date::sys_seconds due;
  NotificationKind kind;
  const agenda::Reminder* reminder;
  agenda::Channel channel;
  friend bool operator<(const LineKey& a, const LineKey& b) {
    return std::tie(a.due, a.kind, a.reminder, a.channel) <
           std::tie(b.due, b.kind, b.reminder, b.channel);
  }
};

struct Line {
  std::size_t count = 0;
  std::vector<std::string_view> recipients;  // the first few
};

using Group = std::map<LineKey, Line>;

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// "Wed 2022-02-02 18:00", with seconds only when they are not zero.
std::string local_day_and_time(date::local_seconds reading) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
  date::local_days day = date::floor<date::days>(reading);
  std::string text = kWeekdays[date::weekday{day}.c_encoding()];
  text += ' ';
  text += model::format_local(reading).substr(0, 10);
  text += ' ';
  text += model::format_clock(reading - day);
  return text;
}

std::string moment(date::sys_seconds instant, const date::time_zone& zone) {
  return local_day_and_time(model::local_reading(instant, zone)) + " " +
         model::format_offset(zone.get_info(instant).offset);
}

// "Wed 2022-02-02 18:00–19:30 +02:00", or both ends in full when the session
// crosses midnight or a change of offset.
std::string session_span(const model::SessionTimes& times, const date::time_zone& zone) {
  date::local_seconds start = model::local_reading(times.start, zone);
  date::local_seconds end = model::local_reading(times.end, zone);
  auto start_offset = zone.get_info(times.start).offset;
  if (date::floor<date::days>(start) == date::floor<date::days>(end) &&
      start_offset == zone.get_info(times.end).offset) {
    return local_day_and_time(start) + "–" +
           model::format_clock(end - date::floor<date::days>(end)) + " " +
           model::format_offset(start_offset);
  }
  return moment(times.start, zone) + " – " + moment(times.end, zone);
}

std::string what(const LineKey& key) {
  std::string text(to_string(key.kind));
  if (key.reminder) {
    text += ' ' + key.reminder->written_before();
    if (key.reminder->at) text += " at " + model::format_clock(*key.reminder->at);
  }
  return text;
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

class SeriesText {
 public:
  SeriesText(const Plan& plan, const PlanOutputOptions& options, OutputBuffer& out)
      : plan_(plan), series_(*plan.series), zone_(*series_.zone), options_(options), out_(out) {}

  void write() {
    group_notifications();
    write_header();
    out_.append("\n  Invitation\n");
    if (invitation_.empty()) {
      out_.append(series_.invitation ? "    no recipients\n" : "    none (no [invitation])\n");
    }
    write_lines(invitation_, plan_.times.series_span);

    std::vector<std::size_t> order(series_.sessions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return plan_.times.sessions[a].start < plan_.times.sessions[b].start;
    });
    for (std::size_t index : order) {
      const agenda::Session& session = series_.sessions[index];
      const model::SessionTimes& times = plan_.times.sessions[index];
      out_.append("\n  Session " + session.id + (session.cancelled ? " (cancelled)" : "") + ": " +
                  session.title + "\n");
      out_.append("  " + session_span(times, zone_) + "\n");
      if (sessions_[index].empty()) out_.append("    no notifications\n");
      write_lines(sessions_[index], model::TimeSpan{times.start, times.end});
    }
  }

 private:
  void group_notifications() {
    sessions_.resize(series_.sessions.size());
    for (const Notification& n : plan_.notifications) {
      Group& group = n.session
                         ? sessions_[static_cast<std::size_t>(n.session - series_.sessions.data())]
                         : invitation_;
      Line& line = group[LineKey{n.due, n.kind, n.reminder, n.channel}];
      if (line.count++ < kListedRecipients) line.recipients.push_back(n.recipient);
      ++counts_[static_cast<std::size_t>(n.kind)][static_cast<std::size_t>(n.channel)];
      if (options_.now) {
        ++states_[static_cast<std::size_t>(
            options_.misfire_rule.classify(n.kind, n.due, plan_.span_of(n), *options_.now))];
      }
    }
  }

  void write_header() {
    out_.append(series_.id + ": " + series_.title + "\n");
    out_.append("  " + series_.timezone + ", " +
                plural(series_.sessions.size(), "session", "sessions") + ", " +
                plural(plan_.notifications.size(), "notification", "notifications") + "\n");
    for (auto kind : {NotificationKind::invitation, NotificationKind::reminder,
                      NotificationKind::update, NotificationKind::cancellation}) {
      const auto& by_channel = counts_[static_cast<std::size_t>(kind)];
      std::string channels;
      for (auto channel : {agenda::Channel::email, agenda::Channel::webhook}) {
        std::size_t count = by_channel[static_cast<std::size_t>(channel)];
        if (count == 0) continue;
        channels += (channels.empty() ? "" : ", ") + std::string(agenda::to_string(channel)) + " " +
                    std::to_string(count);
      }
      if (channels.empty()) continue;
      out_.append("    " + pad(std::string(to_string(kind)), 13) +
                  pad_left(std::to_string(by_channel[0] + by_channel[1]), 8) + "  (" + channels +
                  ")\n");
    }
    if (options_.now) {
      out_.append("  at " + moment(*options_.now, zone_) + ": " + std::to_string(states_[0]) +
                  " pending, " + std::to_string(states_[1]) + " overdue (sent late), " +
                  std::to_string(states_[2]) + " missed\n");
    }
  }

  // `about`: what every line of the group is about (misfire_rule.h).
  void write_lines(const Group& group, model::TimeSpan about) {
    for (const auto& [key, line] : group) {
      std::string text = "    ";
      if (options_.now) {
        DueState state = options_.misfire_rule.classify(key.kind, key.due, about, *options_.now);
        text += pad(state == DueState::pending ? "" : std::string(to_string(state)), 8);
      }
      text += pad(moment(key.due, zone_), 31);
      text += pad(what(key), 26);
      text += pad(std::string(agenda::to_string(key.channel)), 9);
      if (line.count <= kListedRecipients) {
        for (std::size_t i = 0; i < line.recipients.size(); ++i) {
          if (i > 0) text += ", ";
          text += line.recipients[i];
        }
      } else {
        text += plural(line.count, "recipient", "recipients");
      }
      out_.append(text + "\n");
    }
  }

  const Plan& plan_;
  const agenda::Series& series_;
  const date::time_zone& zone_;
  const PlanOutputOptions& options_;
  OutputBuffer& out_;
  Group invitation_;
  std::vector<Group> sessions_;
  std::array<std::array<std::size_t, 2>, 4> counts_{};  // [kind][channel]
  std::array<std::size_t, 3> states_{};                 // [DueState]
};

}  // namespace

Status write_plan_text(const std::vector<const Plan*>& plans, const PlanOutputOptions& options,
                       std::FILE* file) {
  OutputBuffer out(file);
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (i > 0) out.append('\n');
    SeriesText(*plans[i], options, out).write();
  }
  return out.finish();
}

}  // namespace kutsu::console
