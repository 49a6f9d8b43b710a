#include "agenda/detail/reminder_parser.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "agenda/detail/time_values.h"
#include "agenda/time_range.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {
namespace {

// Channels as written; nullopt when any is bad (each bad one is reported).
std::optional<std::vector<Channel>> read_channels(TomlTableReader& reader) {
  const toml::node* node = reader.find("channels");
  if (!node) return std::vector<Channel>{};
  std::optional<std::vector<Located<std::string>>> names = reader.strings("channels");
  if (!names) return std::nullopt;
  if (names->empty()) {
    reader.sink().error(position_of(*node),
                        "'channels' must name at least one channel (leave it out to mean all)");
    return std::nullopt;
  }
  std::vector<Channel> channels;
  bool good = true;
  for (const Located<std::string>& name : *names) {
    std::optional<Channel> channel = parse_channel(name.value);
    if (!channel) {
      reader.sink().error(name.pos,
                          "unknown channel '" + name.value + "' (expected email or webhook)");
      good = false;
    } else if (std::find(channels.begin(), channels.end(), *channel) != channels.end()) {
      reader.sink().error(name.pos, "channel '" + name.value + "' is listed twice");
      good = false;
    } else {
      channels.push_back(*channel);
    }
  }
  if (!good) return std::nullopt;
  return channels;
}

// `before` when it is at most kMaxBeforeDays (time_range.h says why); `rule`
// is the sentence that explains the limit to the organiser.
std::optional<Located<Duration>> within_a_year(std::optional<Located<Duration>> before,
                                               std::string_view rule, DiagnosticSink& sink) {
  if (!before || within_max_before(before->value)) return before;
  sink.error(before->pos, "'before' " + before->value.canonical() + " is longer than " +
                              std::to_string(kMaxBeforeDays) + " days: " + std::string(rule) +
                              " (P52W is 364 days)");
  return std::nullopt;
}

std::optional<Reminder> parse_reminder(const toml::table& table, DiagnosticSink& sink) {
  TomlTableReader reader(table, sink);
  std::optional<Located<Duration>> before =
      within_a_year(read_duration(reader, "before", Need::required, /*positive=*/true),
                    "a reminder can be sent at most a year before its session", sink);
  std::optional<std::chrono::seconds> at = read_time_of_day(reader, "at");
  bool at_ok = at.has_value() || !reader.find("at");
  std::optional<std::vector<Channel>> channels = read_channels(reader);
  reader.finish();
  if (!before || !at_ok || !channels) return std::nullopt;
  const toml::node* written = reader.find("before");
  return Reminder{before->value, at, std::move(*channels), reader.pos(),
                  written && written->is_string() ? std::string(written->as_string()->get())
                                                  : std::string()};
}

}  // namespace

std::vector<Reminder> parse_reminders(const std::vector<const toml::table*>& tables,
                                      DiagnosticSink& sink) {
  std::vector<Reminder> reminders;
  for (const toml::table* table : tables) {
    std::optional<Reminder> reminder = parse_reminder(*table, sink);
    if (!reminder) continue;
    auto same = std::find_if(reminders.begin(), reminders.end(), [&](const Reminder& earlier) {
      return earlier.before == reminder->before && earlier.at == reminder->at &&
             share_a_channel(earlier.channels, reminder->channels);
    });
    if (same != reminders.end()) {
      std::string what = "before = \"" + reminder->before.canonical() + "\"";
      if (reminder->at) what += " and at = " + reminder->written_at();
      sink.error(reminder->pos, "a reminder with " + what +
                                    " on the same channel is already defined on line " +
                                    std::to_string(same->pos.line));
      continue;
    }
    reminders.push_back(std::move(*reminder));
  }
  return reminders;
}

std::optional<Invitation> parse_invitation(const toml::table& table, DiagnosticSink& sink) {
  TomlTableReader reader(table, sink);
  const toml::node* send_at_node = reader.find("send_at");
  const toml::node* before_node = reader.find("before");
  std::optional<WrittenTime> send_at = read_date_time(reader, "send_at", Need::optional);
  std::optional<Located<Duration>> before =
      within_a_year(read_duration(reader, "before", Need::optional, /*positive=*/true),
                    "the invitation can be sent at most a year before the first session", sink);
  reader.finish();

  if (send_at_node && before_node) {
    sink.error(position_of(*before_node),
               "[invitation] takes either 'send_at' or 'before', not both");
    return std::nullopt;
  }
  if (!send_at_node && !before_node) {
    sink.error(reader.pos(), "[invitation] needs 'send_at' (a date-time) or 'before' (a duration)");
    return std::nullopt;
  }
  if (!send_at && !before) return std::nullopt;
  Invitation invitation;
  invitation.send_at = send_at;
  if (before) invitation.before = before->value;
  invitation.pos = reader.pos();
  return invitation;
}

}  // namespace kutsu::agenda::detail
