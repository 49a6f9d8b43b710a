#include "agenda/detail/session_parser.h"

#include <string>

#include "agenda/detail/agenda_item_parser.h"
#include "agenda/detail/https_link.h"
#include "agenda/detail/reminder_parser.h"
#include "agenda/detail/series_id.h"
#include "agenda/detail/time_values.h"
#include "agenda/time_range.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {
namespace {

// `end`, or start + `duration` taken as elapsed time; exactly one of them.
std::optional<WrittenTime> read_end(TomlTableReader& reader, const std::optional<WrittenTime>& start,
                                    std::optional<date::local_days> day) {
  const toml::node* end_node = reader.find("end");
  const toml::node* duration_node = reader.find("duration");
  std::optional<WrittenTime> end = read_date_time(reader, "end", Need::optional, day);
  std::optional<Located<Duration>> duration =
      read_duration(reader, "duration", Need::optional, /*positive=*/true);
  if (end_node && duration_node) {
    reader.sink().error(position_of(*duration_node),
                        "a session takes either 'end' or 'duration', not both");
    return std::nullopt;
  }
  if (!end_node && !duration_node) {
    reader.sink().error(reader.pos(), "missing required key 'end' (or 'duration')");
    return std::nullopt;
  }
  if (!start) return std::nullopt;
  if (duration) {
    const Duration& length = duration->value;
    WrittenTime computed{start->local + date::days{length.calendar_days()} + length.exact(),
                         start->utc_offset, duration->pos};
    // A start out of range is reported already and is the one thing to fix.
    if (in_supported_years(start->local) && !in_supported_years(computed.local)) {
      reader.sink().error(duration->pos, "'duration' makes the session end " + format(computed) +
                                             ", " + outside_supported_years());
    }
    return computed;
  }
  if (!end) return std::nullopt;
  std::optional<std::strong_ordering> cmp = order(*start, *end);
  if (cmp && *cmp >= 0) {
    reader.sink().error(
        end->pos, "session end " + format(*end) + " is not after its start " + format(*start));
    return std::nullopt;
  }
  return end;
}

// `reminders = "none"` or a `[[session.reminder]]` list; nullopt: the series list.
std::optional<std::vector<Reminder>> read_session_reminders(TomlTableReader& reader) {
  const toml::node* none_node = reader.find("reminders");
  std::optional<Located<std::string>> none = reader.string("reminders");
  std::vector<const toml::table*> own = reader.tables("reminder");
  if (none && none->value != "none") {
    reader.sink().error(none->pos,
                        "'reminders' can only be \"none\"; to replace the series "
                        "reminders, give [[session.reminder]] tables");
  }
  if (none_node && reader.find("reminder")) {
    reader.sink().error(position_of(*none_node),
                        "reminders = \"none\" and [[session.reminder]] contradict each other");
  }
  if (none_node) return std::vector<Reminder>{};
  if (!reader.find("reminder")) return std::nullopt;
  return parse_reminders(own, reader.sink());
}

}  // namespace

ParsedSession parse_session(const toml::table& table, const SessionContext& context,
                            DiagnosticSink& sink) {
  TomlTableReader reader(table, sink);
  ParsedSession parsed;
  Session& session = parsed.session;
  session.pos = reader.pos();

  if (std::optional<Located<std::string>> id = reader.string("id", Need::required)) {
    session.id = id->value;
    parsed.id_pos = id->pos;
    parsed.has_valid_id = check_id(*id, sink);
  }
  if (auto title = reader.string("title")) session.title = title->value;

  parsed.recurrence = read_recurrence(reader, context);
  // With `dates`, `start` is a time of day, completed with the first date.
  std::optional<date::local_days> first_day;
  if (parsed.recurrence && !parsed.recurrence->has_rule()) {
    // Without usable dates (reported already) the times are still read, on
    // a stand-in day, so that they are checked without repeating that error.
    first_day = parsed.recurrence->first_date().value_or(
        date::local_days{date::year{2000} / date::January / 1});
    if (const toml::node* node = reader.find("start"); node && !node->is_time()) {
      sink.error(position_of(*node), "with 'dates', 'start' is a time of day (like 18:00:00), "
                                     "taken on each date");
      if (parsed.recurrence) parsed.recurrence->usable = false;
    }
  }
  std::optional<WrittenTime> start = read_date_time(reader, "start", Need::required, first_day);
  if (parsed.recurrence && start && start->utc_offset) {
    sink.error(start->pos, "a recurring session's start is a local time in the series zone, "
                           "without an offset (it stays at that time across DST changes)");
    start.reset();
    parsed.recurrence->usable = false;
  }
  // A start outside the supported years is reported already; its rule,
  // expanded from the year 1012, would only add a count of 53,000
  // occurrences, after as many steps of libical (found by fuzzing).
  if (parsed.recurrence && start && !in_supported_years(start->local)) {
    parsed.recurrence->usable = false;
  }
  // A recurring session may end at a bare time on the day it starts.
  std::optional<date::local_days> end_day = first_day;
  if (parsed.recurrence && start) end_day = date::floor<date::days>(start->local);
  std::optional<WrittenTime> end = read_end(reader, start, end_day);
  if (start) {
    session.start = *start;
    parsed.has_valid_start = true;
  }
  if (end) session.end = *end;

  std::optional<date::local_days> day;
  if (start) day = date::floor<date::days>(start->local);
  session.doors_open = read_date_time(reader, "doors_open", Need::optional, day);
  if (session.doors_open && start) {
    std::optional<std::strong_ordering> cmp = order(*session.doors_open, *start);
    if (cmp && *cmp >= 0) {
      sink.error(session.doors_open->pos, "doors_open " + format(*session.doors_open) +
                                              " must be before the session starts (" +
                                              format(*start) + ")");
    }
  }

  if (auto speakers = reader.strings("speakers")) {
    for (Located<std::string>& speaker : *speakers) session.speakers.push_back(speaker.value);
  }
  if (auto description = reader.string("description")) session.description = description->value;
  std::optional<Located<std::string>> join_url = reader.string("join_url");
  check_join_url(join_url, sink);
  if (join_url) session.join_url = join_url->value;
  if (auto location = reader.string("location")) session.location = location->value;
  if (auto cancelled = reader.boolean("cancelled")) session.cancelled = *cancelled;

  session.reminders = read_session_reminders(reader);
  session.agenda = parse_agenda_items(reader.tables("agenda"), start, end, sink);
  reader.finish();
  return parsed;
}

}  // namespace kutsu::agenda::detail
