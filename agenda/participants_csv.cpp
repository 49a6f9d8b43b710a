#include "agenda/participants_csv.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

#include <date/tz.h>

#include "agenda/detail/csv_reader.h"
#include "agenda/detail/https_link.h"

namespace kutsu::agenda {
namespace {

enum class Column { email, name, roles, language, join_url, timezone };
constexpr std::array<std::pair<std::string_view, Column>, 6> kColumns{{
    {"email", Column::email},
    {"name", Column::name},
    {"roles", Column::roles},
    {"language", Column::language},
    {"join_url", Column::join_url},
    {"timezone", Column::timezone},
}};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

// A spreadsheet cell may hold a line break (Alt-Enter); a display name goes
// into mail headers on one line, so every run of white space becomes a space.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    if (!is_space(c)) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

std::vector<std::string> split_roles(std::string_view text) {
  std::vector<std::string> roles;
  while (true) {
    std::size_t semicolon = text.find(';');
    std::string_view role = trim(text.substr(0, semicolon));
    if (!role.empty()) roles.emplace_back(role);
    if (semicolon == std::string_view::npos) return roles;
    text.remove_prefix(semicolon + 1);
  }
}

class ParticipantsReader {
 public:
  explicit ParticipantsReader(const std::filesystem::path& file) : file_(file.string()) {}

  ParticipantsLoad read(std::string_view text) {
    detail::CsvContent csv = detail::read_csv(text);
    for (detail::CsvProblem& problem : csv.problems) error(problem.line, problem.message);
    if (csv.records.empty()) {
      error(1, "missing header row (columns: email, name, roles, language, join_url, timezone)");
    } else if (read_header(csv.records.front())) {
      for (std::size_t i = 1; i < csv.records.size(); ++i) read_row(csv.records[i]);
    }
    std::stable_sort(
        load_.diagnostics.begin(), load_.diagnostics.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.pos.line < b.pos.line; });
    return std::move(load_);
  }

 private:
  void error(int line, std::string message) {
    load_.diagnostics.push_back(Diagnostic{file_, SourcePos{line, 0}, std::move(message)});
  }

  // Maps each header cell to a column; false when rows cannot be read.
  bool read_header(const detail::CsvRecord& header) {
    for (const std::string& cell : header.fields) {
      std::string name = ascii_lower(trim(cell));
      auto known = std::find_if(kColumns.begin(), kColumns.end(),
                                [&](const auto& column) { return column.first == name; });
      if (known == kColumns.end()) {
        error(header.line, "unknown column '" + std::string(trim(cell)) +
                               "' (expected email, name, roles, language, join_url, timezone)");
        columns_.push_back(std::nullopt);
      } else if (std::find(columns_.begin(), columns_.end(), known->second) != columns_.end()) {
        error(header.line, "column '" + name + "' appears twice");
        columns_.push_back(std::nullopt);
      } else {
        columns_.push_back(known->second);
      }
    }
    if (std::find(columns_.begin(), columns_.end(), Column::email) == columns_.end()) {
      error(header.line, "missing required column 'email'");
      return false;
    }
    return true;
  }

  void read_row(const detail::CsvRecord& row) {
    if (row.fields.size() != columns_.size()) {
      error(row.line, "expected " + std::to_string(columns_.size()) +
                          " fields as in the header, found " + std::to_string(row.fields.size()));
      return;
    }
    Participant participant;
    participant.line = row.line;
    bool good = true;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!columns_[i]) continue;
      std::string_view value = trim(row.fields[i]);
      switch (*columns_[i]) {
        case Column::email:
          good &= read_email(value, row.line, participant);
          break;
        case Column::name:
          participant.name = one_line(value);
          break;
        case Column::roles:
          participant.roles = split_roles(value);
          break;
        case Column::language:
          if (value.empty()) break;
          participant.language = parse_language(value);
          if (!participant.language) {
            error(row.line,
                  "unknown language '" + std::string(value) + "' (expected fi, sv or en)");
            good = false;
          }
          break;
        case Column::join_url:
          if (value.empty()) break;
          if (!detail::is_https_link(value)) {
            error(row.line, "join link '" + std::string(value) + "' must be an https:// URL");
            good = false;
          }
          participant.join_url = std::string(value);
          break;
        case Column::timezone:
          if (value.empty()) break;
          good &= read_zone(value, row.line, participant);
          break;
      }
    }
    if (good) load_.participants.push_back(std::move(participant));
  }

  bool read_zone(std::string_view value, int line, Participant& participant) {
    try {
      if (value != "localtime") participant.zone = date::locate_zone(std::string(value));
    } catch (const std::exception&) {
      // date reports an unknown name (and an unreadable tz database) by throwing.
    }
    if (participant.zone == nullptr) {
      error(line, "unknown time zone '" + std::string(value) +
                      "' (expected an IANA name like Europe/Stockholm)");
      return false;
    }
    return true;
  }

  bool read_email(std::string_view value, int line, Participant& participant) {
    if (value.empty()) {
      error(line, "missing e-mail address");
      return false;
    }
    if (!is_valid_email(value)) {
      error(line, "'" + std::string(value) + "' is not a valid e-mail address");
      return false;
    }
    auto [first, inserted] = first_line_.emplace(ascii_lower(value), line);
    if (!inserted) {
      error(line, "duplicate participant '" + std::string(value) + "' (first on line " +
                      std::to_string(first->second) + ")");
      return false;
    }
    participant.email = std::string(value);
    return true;
  }

  std::string file_;
  std::vector<std::optional<Column>> columns_;
  std::map<std::string, int> first_line_;  // lower-cased address → line
  ParticipantsLoad load_;
};

}  // namespace

ParticipantsLoad parse_participants_csv(std::string_view text, const std::filesystem::path& file) {
  return ParticipantsReader(file).read(text);
}

}  // namespace kutsu::agenda
