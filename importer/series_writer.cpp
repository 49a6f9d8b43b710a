#include "importer/series_writer.h"

#include <cstdio>
#include <sstream>
#include <toml++/toml.h>

#include "agenda/duration.h"

namespace kutsu::importer {
namespace {

using std::chrono::local_days;
using std::chrono::minutes;
using std::chrono::seconds;

// A TOML basic string ("…", as the examples write them), escaped by toml++ itself.
std::string quoted(const std::string& text) {
  std::ostringstream out;
  const toml::value<std::string> value(text);
  out << toml::toml_formatter(value, toml::format_flags::allow_unicode_strings);
  return out.str();
}

// A multi-line basic string opening on its own line, as the examples write
// descriptions. Only what TOML requires is escaped: backslashes, control
// characters other than newline and tab, and quotes where three would meet
// or one would touch the closing delimiter.
std::string multi_line(const std::string& text) {
  std::string out = "\"\"\"\n";
  int quotes_in_a_row = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      const bool last = i + 1 == text.size();
      if (quotes_in_a_row == 2 || last) {
        out += "\\\"";
        quotes_in_a_row = 0;
      } else {
        out += '"';
        ++quotes_in_a_row;
      }
      continue;
    }
    quotes_in_a_row = 0;
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"\"\"";
}

std::string string_value(const std::string& text) {
  return text.find('\n') == std::string::npos ? quoted(text) : multi_line(text);
}

std::string date_text(local_days day) {
  const std::chrono::year_month_day ymd{day};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

std::string time_text(seconds time_of_day) {
  const std::chrono::hh_mm_ss hms{time_of_day};
  char text[64];
  std::snprintf(text, sizeof text, "%02ld:%02ld:%02ld", static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return text;
}

std::string date_time_text(LocalTime time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  return date_text(day) + "T" + time_text(time - day);
}

// `["a", "b"]` on one line while it is short, else one name per line.
std::string string_list(const std::vector<std::string>& items, const std::string& indent) {
  std::string one_line = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) one_line += ", ";
    one_line += quoted(items[i]);
  }
  one_line += "]";
  if (one_line.size() <= 72) return one_line;
  std::string lines = "[\n";
  for (const auto& item : items) lines += indent + "  " + quoted(item) + ",\n";
  return lines + indent + "]";
}

std::string date_list(const std::vector<local_days>& days) {
  std::string text = "[";
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) text += ", ";
    text += date_text(days[i]);
  }
  return text + "]";
}

class Writer {
 public:
  std::string take() { return std::move(out_); }

  // TOML comments may not hold control characters other than tab; they are
  // written as their escapes ("\x01"), so the comment still shows them.
  void comment(const std::string& raw, const std::string& indent = "") {
    std::string text;
    for (const char c : raw) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
        text += escaped;
      } else {
        text += c;
      }
    }
    std::istringstream lines(text);
    std::string line;
    bool any = false;
    while (std::getline(lines, line)) {
      out_ += indent + (line.empty() ? "#" : "# " + line) + "\n";
      any = true;
    }
    if (!any) out_ += indent + "#\n";
  }
  void key(const std::string& indent, const std::string& name, const std::string& value) {
    out_ += indent + name + " = " + value + "\n";
  }
  void line(const std::string& text) { out_ += text + "\n"; }

 private:
  std::string out_;
};

bool every_session_has_a_link(const DraftSeries& draft) {
  if (draft.sessions.empty()) return false;
  for (const auto& session : draft.sessions) {
    if (session.join_url.empty()) return false;
  }
  return true;
}

void write_header(Writer& w, const DraftSeries& draft) {
  w.comment("Imported by `kutsu import` from " + (draft.source.empty() ? "an announcement" : draft.source) + ".");
  w.comment("Check every date and time against the source, fill in the TODO lines,\n"
            "then run `kutsu check` on this file.");
  for (const auto& note : draft.notes) w.comment(note);
  w.line("");
}

void write_series_keys(Writer& w, const DraftSeries& draft) {
  if (draft.id.empty()) {
    w.comment("TODO: id = \"series-2026\"   (lowercase letters, digits and -; also the file name)");
  } else {
    w.key("", "id", quoted(draft.id));
  }
  if (draft.title.empty()) {
    w.comment("TODO: title = \"The series' name as participants should see it\"");
  } else {
    w.key("", "title", quoted(draft.title));
  }
  w.key("", "timezone", quoted(draft.timezone));
  w.key("", "language", quoted(std::string(agenda::to_string(draft.language))));
  if (!draft.description.empty()) w.key("", "description", multi_line(draft.description));
  w.comment("TODO: organiser = { name = \"Your Name\", email = \"you@example.org\" }");
  if (!draft.join_url.empty()) {
    w.key("", "join_url", quoted(draft.join_url));
  } else if (!every_session_has_a_link(draft)) {
    w.comment("TODO: join_url = \"https://…\"   (the link participants join with)");
  }
  w.comment("TODO: participants = \"participants.csv\"   (email,name,roles,language)");
  w.line("");
  w.comment("When the invitation goes out, and the reminders (see agenda-format.md):\n"
            "[invitation]\n"
            "before = \"P14D\"\n"
            "[[reminder]]\n"
            "before = \"P1D\"");
}

// Times of day up to 23:59; "24.00" (the end of the day) as the next day's
// midnight, a full date-time, since TOML has no 24:00.
std::string time_on(local_days day, minutes time_of_day) {
  return time_of_day < std::chrono::days(1) ? time_text(time_of_day) : date_time_text(day + time_of_day);
}

void write_agenda_item(Writer& w, const DraftAgendaItem& item, local_days day) {
  const std::string indent = "  ";
  w.line("");
  w.line(indent + "[[session.agenda]]");
  w.key(indent, "start", time_on(day, item.start));
  if (item.end) w.key(indent, "end", time_on(day, *item.end));
  w.key(indent, "title", quoted(item.title));
  if (!item.speakers.empty()) w.key(indent, "speakers", string_list(item.speakers, indent));
  w.key(indent, "kind", quoted(std::string(agenda::to_string(item.kind))));
}

void write_occurrence(Writer& w, const DraftOccurrence& occurrence) {
  const std::string indent = "  ";
  w.line("");
  w.line(indent + "[[session.occurrence]]");
  w.key(indent, "date", date_text(occurrence.date));
  if (occurrence.start) w.key(indent, "start", date_time_text(*occurrence.start));
  if (occurrence.end) w.key(indent, "end", date_time_text(*occurrence.end));
  if (occurrence.cancelled) w.key(indent, "cancelled", "true");
  if (occurrence.title) w.key(indent, "title", quoted(*occurrence.title));
  if (occurrence.location) w.key(indent, "location", string_value(*occurrence.location));
  if (occurrence.description) w.key(indent, "description", multi_line(*occurrence.description));
}

void write_session(Writer& w, const DraftSession& session) {
  w.line("");
  for (const auto& note : session.notes) w.comment(note);
  w.line("[[session]]");
  w.key("", "id", quoted(session.id));
  w.key("", "title", quoted(session.title));
  // A date list gives the dates; start and end are then times of day.
  const bool on_dates = !session.dates.empty();
  const auto when = [&](LocalTime time) {
    return on_dates ? time_text(time - std::chrono::floor<std::chrono::days>(time)) : date_time_text(time);
  };
  w.key("", "start", when(session.start));
  // On a date list an end at or past midnight cannot be a time of day.
  const bool end_as_duration =
      session.end && on_dates && std::chrono::floor<std::chrono::days>(*session.end) !=
                                     std::chrono::floor<std::chrono::days>(session.start);
  if (session.end && end_as_duration) {
    w.key("", "duration", quoted(agenda::Duration(0, *session.end - session.start).canonical()));
  } else if (session.end) {
    w.key("", "end", when(*session.end));
  } else if (session.duration) {
    w.key("", "duration", quoted(agenda::Duration(0, *session.duration).canonical()));
  }
  if (session.doors_open) w.key("", "doors_open", when(*session.doors_open));
  if (!session.repeat.empty()) w.key("", "repeat", quoted(session.repeat));
  if (!session.except.empty()) w.key("", "except", date_list(session.except));
  if (on_dates) w.key("", "dates", date_list(session.dates));
  if (!session.speakers.empty()) w.key("", "speakers", string_list(session.speakers, ""));
  if (!session.location.empty()) w.key("", "location", string_value(session.location));
  if (!session.join_url.empty()) w.key("", "join_url", quoted(session.join_url));
  if (session.cancelled) w.key("", "cancelled", "true");
  if (!session.description.empty()) w.key("", "description", multi_line(session.description));
  for (const auto& item : session.agenda) {
    write_agenda_item(w, item, std::chrono::floor<std::chrono::days>(session.start));
  }
  for (const auto& occurrence : session.occurrences) write_occurrence(w, occurrence);
}

}  // namespace

std::string write_series_toml(const DraftSeries& draft) {
  Writer w;
  write_header(w, draft);
  write_series_keys(w, draft);
  for (const auto& session : draft.sessions) write_session(w, session);
  return w.take();
}

}  // namespace kutsu::importer
