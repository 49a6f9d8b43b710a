#include "agenda/detail/agenda_item_parser.h"

#include <string>

#include "agenda/detail/time_values.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda::detail {
namespace {

bool is_before(const WrittenTime& a, const WrittenTime& b) {
  std::optional<std::strong_ordering> cmp = order(a, b);
  return cmp && *cmp < 0;
}

// An item occupies [start, end); a point in time occupies nothing but may not
// fall strictly inside another item. Unorderable pairs do not overlap.
bool overlap(const AgendaItem& a, const AgendaItem& b) {
  if (a.end && b.end) return is_before(a.start, *b.end) && is_before(b.start, *a.end);
  if (a.end) return is_before(a.start, b.start) && is_before(b.start, *a.end);
  if (b.end) return is_before(b.start, a.start) && is_before(a.start, *b.end);
  return false;
}

// Reports where `item` leaves its session; true when it stays inside.
bool check_inside_session(const AgendaItem& item, const std::optional<WrittenTime>& session_start,
                          const std::optional<WrittenTime>& session_end, DiagnosticSink& sink) {
  bool inside = true;
  if (session_start && is_before(item.start, *session_start)) {
    sink.error(item.start.pos, "agenda item '" + item.title + "' starts at " + format(item.start) +
                                   ", before its session starts (" + format(*session_start) + ")");
    inside = false;
  }
  const WrittenTime& last = item.end ? *item.end : item.start;
  if (session_end && is_before(*session_end, last)) {
    sink.error(last.pos, "agenda item '" + item.title + "' ends at " + format(last) +
                             ", after its session ends (" + format(*session_end) + ")");
    inside = false;
  }
  return inside;
}

std::optional<AgendaItem> parse_item(const toml::table& table, std::optional<date::local_days> day,
                                     DiagnosticSink& sink) {
  TomlTableReader reader(table, sink);
  std::optional<WrittenTime> start = read_date_time(reader, "start", Need::required, day);
  const toml::node* end_node = reader.find("end");
  std::optional<WrittenTime> end = read_date_time(reader, "end", Need::optional, day);
  std::optional<Located<std::string>> title = reader.string("title", Need::required);
  std::optional<std::vector<Located<std::string>>> speakers = reader.strings("speakers");
  bool speakers_ok = speakers.has_value() || !reader.find("speakers");
  AgendaItemKind kind = AgendaItemKind::talk;
  bool kind_ok = true;
  if (std::optional<Located<std::string>> name = reader.string("kind")) {
    if (std::optional<AgendaItemKind> parsed = parse_agenda_item_kind(name->value)) {
      kind = *parsed;
    } else {
      sink.error(name->pos, "unknown agenda item kind '" + name->value +
                                "' (expected talk, break, meal, discussion, culture or other)");
      kind_ok = false;
    }
  } else if (reader.find("kind")) {
    kind_ok = false;
  }
  reader.finish();
  if (!start || (end_node && !end) || !title || !speakers_ok || !kind_ok) return std::nullopt;

  AgendaItem item{*start, end, title->value, {}, kind, reader.pos()};
  if (speakers) {
    for (Located<std::string>& speaker : *speakers) item.speakers.push_back(speaker.value);
  }
  if (end) {
    std::optional<std::strong_ordering> cmp = order(*start, *end);
    if (cmp && *cmp >= 0) {
      sink.error(end->pos, "agenda item '" + item.title + "' ends at " + format(*end) +
                               ", not after its start " + format(*start));
      return std::nullopt;
    }
  }
  return item;
}

}  // namespace

std::optional<AgendaItemKind> parse_agenda_item_kind(std::string_view name) {
  if (name == "talk") return AgendaItemKind::talk;
  if (name == "break") return AgendaItemKind::break_;
  if (name == "meal") return AgendaItemKind::meal;
  if (name == "discussion") return AgendaItemKind::discussion;
  if (name == "culture") return AgendaItemKind::culture;
  if (name == "other") return AgendaItemKind::other;
  return std::nullopt;
}

std::vector<AgendaItem> parse_agenda_items(const std::vector<const toml::table*>& tables,
                                           const std::optional<WrittenTime>& session_start,
                                           const std::optional<WrittenTime>& session_end,
                                           DiagnosticSink& sink) {
  // A bare time needs a date; without a good session start any date will do,
  // since the series is invalid anyway and only the item's own checks matter.
  date::local_days day =
      session_start ? date::floor<date::days>(session_start->local) : date::local_days{};
  std::vector<AgendaItem> items;
  for (const toml::table* table : tables) {
    std::optional<AgendaItem> item = parse_item(*table, day, sink);
    if (!item) continue;
    if (!check_inside_session(*item, session_start, session_end, sink)) continue;
    bool overlaps = false;
    for (const AgendaItem& earlier : items) {
      if (overlap(earlier, *item)) {
        sink.error(item->start.pos, "agenda item '" + item->title + "' overlaps '" + earlier.title +
                                        "' (line " + std::to_string(earlier.pos.line) + ")");
        overlaps = true;
        break;
      }
    }
    if (!overlaps) items.push_back(std::move(*item));
  }
  return items;
}

}  // namespace kutsu::agenda::detail
