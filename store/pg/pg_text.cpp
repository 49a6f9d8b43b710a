#include "store/pg/pg_text.h"

#include <charconv>

namespace kutsu::store::pg {
namespace {

const std::string& value_at(const PgRows& rows, std::size_t row, std::size_t column) {
  const PgRows::Value& value = rows.at(row, column);
  if (!value) throw MalformedResult("column " + rows.columns[column] + " is NULL");
  return *value;
}

std::int64_t parse_integer(const std::string& text, std::string_view column) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw MalformedResult("column " + std::string(column) + " is '" + text + "', not an integer");
  }
  return number;
}

void append_element(std::string& out, const Param& element) {
  if (!element) {
    out += "NULL";
    return;
  }
  out += '"';
  for (char c : *element) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string seconds_text(Instant instant) {
  return std::to_string(instant.time_since_epoch().count());
}

Param seconds_param(std::optional<Instant> instant) {
  if (!instant) return std::nullopt;
  return seconds_text(*instant);
}

std::string array_literal(const std::vector<Param>& elements) {
  std::string out = "{";
  for (const Param& element : elements) {
    if (out.size() > 1) out += ',';
    append_element(out, element);
  }
  return out + '}';
}

std::string array_literal(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (const std::string& element : elements) {
    if (out.size() > 1) out += ',';
    append_element(out, element);
  }
  return out + '}';
}

std::int64_t integer_at(const PgRows& rows, std::size_t row, std::size_t column) {
  return parse_integer(value_at(rows, row, column), rows.columns[column]);
}

std::optional<std::int64_t> optional_integer_at(const PgRows& rows, std::size_t row,
                                                std::size_t column) {
  if (!rows.at(row, column)) return std::nullopt;
  return integer_at(rows, row, column);
}

std::string text_at(const PgRows& rows, std::size_t row, std::size_t column) {
  return value_at(rows, row, column);
}

Instant instant_at(const PgRows& rows, std::size_t row, std::size_t column) {
  return Instant(std::chrono::seconds(integer_at(rows, row, column)));
}

std::optional<Instant> optional_instant_at(const PgRows& rows, std::size_t row,
                                           std::size_t column) {
  if (!rows.at(row, column)) return std::nullopt;
  return instant_at(rows, row, column);
}

bool bool_at(const PgRows& rows, std::size_t row, std::size_t column) {
  const std::string& text = value_at(rows, row, column);
  if (text == "t") return true;
  if (text == "f") return false;
  throw MalformedResult("column " + rows.columns[column] + " is '" + text + "', not a boolean");
}

NotificationRow notification_at(const PgRows& rows, std::size_t row, std::size_t first) {
  NotificationRow n;
  n.id = text_at(rows, row, first);
  n.series_id = text_at(rows, row, first + 1);
  n.session_id = rows.at(row, first + 2);
  n.kind = text_at(rows, row, first + 3);
  n.offset = rows.at(row, first + 4);
  n.channel = text_at(rows, row, first + 5);
  n.recipient = text_at(rows, row, first + 6);
  n.due = instant_at(rows, row, first + 7);
  n.session_start = instant_at(rows, row, first + 8);
  const std::string state = text_at(rows, row, first + 9);
  std::optional<NotificationState> parsed = parse_notification_state(state);
  if (!parsed) throw MalformedResult("notification " + n.id + " has unknown state '" + state + "'");
  n.state = *parsed;
  n.attempts = static_cast<int>(integer_at(rows, row, first + 10));
  n.next_attempt_at = optional_instant_at(rows, row, first + 11);
  n.last_result = rows.at(row, first + 12);
  n.created_at = instant_at(rows, row, first + 13);
  n.updated_at = instant_at(rows, row, first + 14);
  n.sent_at = optional_instant_at(rows, row, first + 15);
  return n;
}

}  // namespace kutsu::store::pg
