#include "agenda/detail/occurrences.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "agenda/detail/https_link.h"
#include "agenda/detail/recurrence_rule.h"
#include "agenda/detail/time_values.h"
#include "agenda/time_range.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {
namespace {

std::string day_text(date::local_days day) { return date::format("%F", day); }

void shift(WrittenTime& time, date::days by) { time.local += by; }

Session moved_to(const Session& pattern, date::local_days pattern_day, date::local_days planned,
                 std::size_t recurring) {
  Session occurrence = pattern;
  const date::days by = planned - pattern_day;
  shift(occurrence.start, by);
  shift(occurrence.end, by);
  if (occurrence.doors_open) shift(*occurrence.doors_open, by);
  for (AgendaItem& item : occurrence.agenda) {
    shift(item.start, by);
    if (item.end) shift(*item.end, by);
  }
  occurrence.id = occurrence_id(pattern.id, planned);
  occurrence.occurrence = OccurrenceOf{recurring, planned, false};
  return occurrence;
}

// The planned dates, sorted: the rule's (or the list's, moved by `on`),
// without `except`. A rule's run past the horizon, as far as an `except` or
// occurrence date needs; the caller cuts them at the horizon.
std::vector<date::local_days> planned_dates(const Session& pattern, const RecurrenceSpec& spec,
                                            const SessionContext& context, DiagnosticSink& sink) {
  std::vector<date::local_days> planned;
  const Recurrence& recurrence = spec.recurrence;
  if (spec.has_rule()) {
    // Far enough to tell whether an `except` or occurrence date is one of
    // the rule's, even beyond the horizon.
    date::local_days until = context.until;
    for (const auto& day : spec.except) until = std::max(until, day.value);
    for (const toml::table* change : spec.changes) {
      if (const toml::node* node = change->get("date"); node && node->as_date()) {
        until = std::max(until, to_local_days(node->as_date()->get()));
      }
    }
    const date::local_days last_supported{kLastSupportedYear / date::December / 31};
    until = std::min(until, last_supported);
    std::vector<date::local_seconds> readings = expand_rule(
        *recurrence.rule, pattern.start.local, *context.zone, until, 100 * kMaxOccurrences);
    for (date::local_seconds reading : readings) {
      planned.push_back(date::floor<date::days>(reading));
    }
    // Sorted lookups: a file may list many `except` dates, and each must
    // cost a search, not a scan of every occurrence.
    std::sort(planned.begin(), planned.end());
    std::set<date::local_days> excepted;
    for (const auto& day : spec.except) {
      if (!std::binary_search(planned.begin(), planned.end(), day.value)) {
        sink.error(day.pos, "'except' date " + day_text(day.value) +
                                " is not an occurrence of the rule (" + *recurrence.rule + ")");
      } else {
        excepted.insert(day.value);
      }
    }
    std::erase_if(planned, [&](date::local_days day) { return excepted.contains(day); });
  } else {
    for (date::local_days day : recurrence.dates) {
      planned.push_back(recurrence.on ? recurrence.on->apply(day) : day);
    }
    std::sort(planned.begin(), planned.end());
    planned.erase(std::unique(planned.begin(), planned.end()),
                        planned.end());
  }
  return planned;
}

// One [[session.occurrence]] applied to its occurrence.
void apply_change(const toml::table& table, const Session& pattern,
                  std::map<date::local_days, Session*>& by_date,
                  std::map<date::local_days, int>& changed_line,
                  const std::vector<date::local_days>& beyond_horizon, DiagnosticSink& sink) {
  TomlTableReader reader(table, sink);
  const toml::node* date_node = reader.find("date", Need::required);
  std::optional<Located<date::local_days>> day;
  if (date_node) day = read_local_date(reader, "date", *date_node);
  Session* occurrence = nullptr;
  if (day) {
    auto found = by_date.find(day->value);
    if (found != by_date.end()) {
      occurrence = found->second;
      auto [first, inserted] = changed_line.emplace(day->value, day->pos.line);
      if (!inserted) {
        sink.error(day->pos, "occurrence " + day_text(day->value) +
                                 " is already changed on line " + std::to_string(first->second));
        occurrence = nullptr;
      }
    } else if (!std::binary_search(beyond_horizon.begin(), beyond_horizon.end(), day->value)) {
      sink.error(day->pos, "[[session.occurrence]] date " + day_text(day->value) +
                               " is not an occurrence of session '" + pattern.id + "'");
    }
  }
  Session ignored;  // beyond the horizon or a bad date: still read, for the key checks
  Session& target = occurrence ? *occurrence : ignored;
  const date::local_days planned = day ? day->value : date::local_days{};
  const std::chrono::seconds length = pattern.end.local - pattern.start.local;

  const toml::node* start_node = reader.find("start");
  std::optional<WrittenTime> start = read_date_time(reader, "start", Need::optional, planned);
  if (start && start->utc_offset) {
    sink.error(start->pos, "an occurrence's start is a local time in the series zone, "
                           "without an offset");
    start.reset();
  }
  if (start && !in_supported_years(start->local)) start.reset();  // reported by the reader
  const toml::node* end_node = reader.find("end");
  const toml::node* duration_node = reader.find("duration");
  if (end_node && duration_node) {
    sink.error(position_of(*duration_node), "an occurrence takes either 'end' or 'duration', not both");
  }
  const date::local_days new_day =
      start ? date::floor<date::days>(start->local) : date::floor<date::days>(target.start.local);
  std::optional<WrittenTime> end = read_date_time(reader, "end", Need::optional, new_day);
  std::optional<Located<Duration>> duration =
      read_duration(reader, "duration", Need::optional, /*positive=*/true);
  bool moved = false;
  if (start_node && start) {
    const std::chrono::seconds by = start->local - target.start.local;
    target.start = *start;
    if (target.doors_open) target.doors_open->local += by;
    for (AgendaItem& item : target.agenda) {
      item.start.local += by;
      if (item.end) item.end->local += by;
    }
    target.end = WrittenTime{start->local + length, std::nullopt, start->pos};
    moved = true;
  }
  if (end) {
    if (end->utc_offset || end->local <= target.start.local) {
      sink.error(end->pos, "occurrence end " + format(*end) + " is not after its start " +
                               format(target.start));
    } else {
      target.end = *end;
      moved = true;
    }
  } else if (duration) {
    target.end = WrittenTime{target.start.local + date::days{duration->value.calendar_days()} +
                                 duration->value.exact(),
                             std::nullopt, duration->pos};
    moved = true;
  }
  bool changed = moved;
  if (auto title = reader.string("title")) {
    target.title = title->value;
    changed = true;
  }
  if (auto location = reader.string("location")) {
    target.location = location->value;
    changed = true;
  }
  std::optional<Located<std::string>> join_url = reader.string("join_url");
  check_join_url(join_url, sink);
  if (join_url) {
    target.join_url = join_url->value;
    changed = true;
  }
  if (auto description = reader.string("description")) {
    target.description = description->value;
    changed = true;
  }
  if (auto speakers = reader.strings("speakers")) {
    target.speakers.clear();
    for (Located<std::string>& speaker : *speakers) target.speakers.push_back(speaker.value);
    changed = true;
  }
  if (auto cancelled = reader.boolean("cancelled")) {
    target.cancelled = *cancelled;
    changed = true;
  }
  reader.finish();
  if (occurrence && occurrence->occurrence) occurrence->occurrence->changed = changed;
}

}  // namespace

std::vector<Session> expand_occurrences(const Session& pattern, const RecurrenceSpec& spec,
                                        const SessionContext& context, std::size_t recurring,
                                        DiagnosticSink& sink) {
  std::vector<Session> occurrences;
  if (!spec.usable || context.zone == nullptr) return occurrences;
  std::vector<date::local_days> planned = planned_dates(pattern, spec, context, sink);
  // A rule is planned up to the horizon; the dates beyond it that an
  // `except` or a change named are still its occurrences, planned later.
  std::vector<date::local_days> beyond_horizon;
  if (spec.has_rule()) {
    auto first_beyond = std::upper_bound(planned.begin(), planned.end(), context.until);
    beyond_horizon.assign(first_beyond, planned.end());
    planned.erase(first_beyond, planned.end());
  }
  if (planned.size() > kMaxOccurrences) {
    sink.error(spec.recurrence.pos,
               "session '" + pattern.id + "' has " + std::to_string(planned.size()) +
                   " occurrences up to " + day_text(context.until) + "; at most " +
                   std::to_string(kMaxOccurrences) + " are planned for one session");
    return occurrences;
  }
  if (planned.empty() && beyond_horizon.empty()) {
    sink.error(spec.recurrence.pos, "session '" + pattern.id + "' has no occurrence" +
                                        (spec.has_rule() ? " up to " + day_text(context.until) : ""));
    return occurrences;
  }
  const date::local_days pattern_day = date::floor<date::days>(pattern.start.local);
  occurrences.reserve(planned.size());
  for (date::local_days day : planned) {
    occurrences.push_back(moved_to(pattern, pattern_day, day, recurring));
  }
  std::map<date::local_days, Session*> by_date;
  for (Session& occurrence : occurrences) by_date.emplace(occurrence.occurrence->planned, &occurrence);
  std::map<date::local_days, int> changed_line;
  for (const toml::table* change : spec.changes) {
    apply_change(*change, pattern, by_date, changed_line, beyond_horizon, sink);
  }
  return occurrences;
}

}  // namespace kutsu::agenda::detail
