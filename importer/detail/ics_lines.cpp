#include "importer/detail/ics_lines.h"

#include <optional>

namespace kutsu::importer::detail {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// A content line after unfolding, with the physical line it starts on.
struct ContentLine {
  std::string text;
  int line = 0;
};

std::vector<ContentLine> unfold(std::string_view text) {
  std::vector<ContentLine> lines;
  int number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view physical = text.substr(begin, end - begin);
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    ++number;
    if (!physical.empty() && (physical.front() == ' ' || physical.front() == '\t') && !lines.empty()) {
      lines.back().text.append(physical.substr(1));
    } else {
      lines.push_back(ContentLine{std::string(physical), number});
    }
    begin = end + 1;
  }
  return lines;
}

// NAME of "NAME;PARAM=…:VALUE", upper case.
std::string name_of(const std::string& line) {
  const std::size_t end = line.find_first_of(";:");
  return upper(std::string_view(line).substr(0, end));
}

std::string value_of(const std::string& line) {
  // The first ':' outside a quoted parameter value.
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return line.substr(i + 1);
  }
  return {};
}

}  // namespace

IcsLines::IcsLines(std::string_view text) {
  std::vector<std::string> stack;  // open components, upper case
  std::optional<std::size_t> current;  // index into events_
  std::size_t current_depth = 0;
  for (const ContentLine& line : unfold(text)) {
    const std::string name = name_of(line.text);
    if (name == "BEGIN") {
      const std::string component = upper(value_of(line.text));
      const bool calendar_event =
          component == "VEVENT" && (stack.empty() || (stack.size() == 1 && stack.back() == "VCALENDAR"));
      if (component == "VCALENDAR" && calendar_line_ == 0) calendar_line_ = line.line;
      stack.push_back(component);
      if (calendar_event) {
        events_.push_back(IcsEventLines{line.line, {}, {}});
        current = events_.size() - 1;
        current_depth = stack.size();
      }
      continue;
    }
    if (name == "END") {
      if (!stack.empty()) stack.pop_back();
      if (current && stack.size() < current_depth) current.reset();
      continue;
    }
    if (!current || stack.size() != current_depth) continue;
    IcsEventLines& event = events_[*current];
    if (name == "UID" && event.uid.empty()) event.uid = value_of(line.text);
    event.properties.push_back(IcsPropertyLine{name, line.line, value_of(line.text)});
  }
}

int IcsLines::property_line(std::size_t event, std::string_view name, std::size_t nth) const {
  if (event >= events_.size()) return 0;
  for (const IcsPropertyLine& property : events_[event].properties) {
    if (property.name == name) {
      if (nth == 0) return property.line;
      --nth;
    }
  }
  return events_[event].line;
}

int IcsLines::property_line_with_value(std::size_t event, std::string_view name, std::string_view value) const {
  if (event >= events_.size()) return 0;
  for (const IcsPropertyLine& property : events_[event].properties) {
    if (property.name == name && property.value == value) return property.line;
  }
  return property_line(event, name);
}

}  // namespace kutsu::importer::detail
