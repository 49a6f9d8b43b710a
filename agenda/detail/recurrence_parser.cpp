#include "agenda/detail/recurrence_parser.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "agenda/detail/ics_dates.h"
#include "agenda/detail/recurrence_rule.h"
#include "agenda/detail/time_values.h"
#include "base/input_file.h"

namespace kutsu::agenda::detail {
namespace {

// A `.ics` file of meeting dates is a calendar export, larger than a series
// file but far from a participants list.
constexpr InputFileKind kDatesFile{"a calendar file", 8 * 1024 * 1024};

SourcePos inside_string(SourcePos pos, std::size_t offset) {
  // The value's position is its opening quote.
  pos.column += static_cast<int>(offset) + 1;
  return pos;
}

std::optional<DayShift> parse_shift(std::string_view text) {
  // "sunday before", "2 days after", "1 day before"
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<std::string> words;
  std::size_t begin = 0;
  while (begin < lower.size()) {
    std::size_t end = lower.find(' ', begin);
    if (end == std::string::npos) end = lower.size();
    if (end > begin) words.push_back(lower.substr(begin, end - begin));
    begin = end + 1;
  }
  DayShift shift;
  auto direction = [&](const std::string& word) {
    if (word == "before") {
      shift.direction = DayShift::Direction::before;
      return true;
    }
    if (word == "after") {
      shift.direction = DayShift::Direction::after;
      return true;
    }
    return false;
  };
  static const std::vector<std::pair<std::string, date::weekday>> kWeekdays = {
      {"monday", date::Monday},   {"tuesday", date::Tuesday}, {"wednesday", date::Wednesday},
      {"thursday", date::Thursday}, {"friday", date::Friday}, {"saturday", date::Saturday},
      {"sunday", date::Sunday}};
  if (words.size() == 2) {
    for (const auto& [name, weekday] : kWeekdays) {
      if (words[0] == name) shift.weekday = weekday;
    }
    if (shift.weekday && direction(words[1])) return shift;
    return std::nullopt;
  }
  if (words.size() == 3 && (words[1] == "days" || words[1] == "day") && direction(words[2])) {
    const std::string& number = words[0];
    if (number.empty() || number.size() > 3 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    shift.days = std::stoi(number);
    if (shift.days < 1 || shift.days > 366) return std::nullopt;
    return shift;
  }
  return std::nullopt;
}

void read_rule(TomlTableReader& reader, RecurrenceSpec& spec) {
  std::optional<Located<std::string>> rule = reader.string("repeat");
  if (!rule) {
    spec.usable = false;
    return;
  }
  spec.recurrence.pos = rule->pos;
  if (std::optional<RuleProblem> problem = check_rule(rule->value)) {
    reader.sink().error(inside_string(rule->pos, problem->offset),
                        "repeat rule: " + problem->message);
    spec.usable = false;
    return;
  }
  spec.recurrence.rule = rule->value;
  spec.recurrence.open_ended = is_open_ended(rule->value);
}

void read_dates(TomlTableReader& reader, const toml::node& node, const SessionContext& context,
                RecurrenceSpec& spec) {
  spec.recurrence.pos = position_of(node);
  if (const auto* path = node.as_string()) {
    const std::filesystem::path file = context.series_file.parent_path() / path->get();
    spec.recurrence.dates_file = file;
    Result<std::string> text = read_input_file(file, kDatesFile);
    if (!text) {
      reader.sink().error(position_of(node), "'dates': " + text.error().message);
      spec.usable = false;
      return;
    }
    if (context.zone == nullptr) {
      spec.usable = false;
      return;
    }
    Result<std::vector<date::local_days>> dates = ics_dates(*text, *context.zone);
    if (!dates) {
      reader.sink().error(position_of(node),
                          "'dates' file " + file.string() + ": " + dates.error().message);
      spec.usable = false;
      return;
    }
    spec.recurrence.dates = std::move(*dates);
    return;
  }
  const auto* list = node.as_array();
  if (list == nullptr) {
    reader.wrong_type("dates", node,
                      "a list of dates ([2026-01-26, 2026-02-23]) or the path of an .ics file");
    spec.usable = false;
    return;
  }
  for (const toml::node& element : *list) {
    if (std::optional<Located<date::local_days>> day = read_local_date(reader, "dates", element)) {
      spec.recurrence.dates.push_back(day->value);
    } else {
      spec.usable = false;
    }
  }
  if (list->empty()) {
    reader.sink().error(position_of(node), "'dates' is empty: the session would never take place");
    spec.usable = false;
  }
  std::sort(spec.recurrence.dates.begin(), spec.recurrence.dates.end());
  spec.recurrence.dates.erase(std::unique(spec.recurrence.dates.begin(), spec.recurrence.dates.end()),
                              spec.recurrence.dates.end());
}

}  // namespace

std::optional<date::local_days> RecurrenceSpec::first_date() const {
  if (recurrence.dates.empty()) return std::nullopt;
  const date::local_days first = recurrence.dates.front();
  return recurrence.on ? recurrence.on->apply(first) : first;
}

std::optional<RecurrenceSpec> read_recurrence(TomlTableReader& reader,
                                              const SessionContext& context) {
  const toml::node* repeat = reader.find("repeat");
  const toml::node* dates = reader.find("dates");
  const toml::node* except = reader.find("except");
  const toml::node* on = reader.find("on");
  const bool has_changes = reader.find("occurrence") != nullptr;
  if (!repeat && !dates) {
    if (except) reader.sink().error(position_of(*except), "'except' needs a 'repeat' rule");
    if (on) reader.sink().error(position_of(*on), "'on' needs a 'dates' list");
    if (has_changes) {
      reader.sink().error(reader.pos(),
                          "[[session.occurrence]] needs a recurring session ('repeat' or 'dates')");
    }
    return std::nullopt;
  }
  RecurrenceSpec spec;
  if (repeat && dates) {
    reader.sink().error(position_of(*dates),
                        "a session takes either 'repeat' or 'dates', not both");
    spec.usable = false;
    return spec;
  }
  if (repeat) {
    spec.repeats = true;
    read_rule(reader, spec);
    if (on) reader.sink().error(position_of(*on), "'on' applies to 'dates', not to 'repeat'");
  } else {
    if (on) {
      std::optional<Located<std::string>> text = reader.string("on");
      if (text) {
        spec.recurrence.on = parse_shift(text->value);
        if (!spec.recurrence.on) {
          reader.sink().error(text->pos, "'on' must be like \"sunday before\" or \"2 days after\", "
                                         "not \"" + text->value + "\"");
          spec.usable = false;
        }
      }
    }
    read_dates(reader, *dates, context, spec);
    if (except) {
      reader.sink().error(position_of(*except),
                          "'except' applies to 'repeat'; leave the date out of 'dates' instead");
    }
  }
  if (except && repeat) {
    if (const auto* list = except->as_array()) {
      for (const toml::node& element : *list) {
        if (auto day = read_local_date(reader, "except", element)) {
          spec.except.push_back(*day);
          spec.recurrence.except.push_back(day->value);
        }
      }
    } else {
      reader.wrong_type("except", *except, "a list of dates ([2026-02-24, 2026-04-07])");
    }
  }
  spec.changes = reader.tables("occurrence");
  return spec;
}

}  // namespace kutsu::agenda::detail
