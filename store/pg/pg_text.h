// The PostgreSQL outbox's values as libpq's text format has them: instants
// as Unix seconds, arrays as array literals (for unnest($1::text[]) — one
// parameter instead of one round trip per row), and result rows read back
// into the outbox's row types. Text in, text out, as PgConnection speaks.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/pg/pg_connection.h"
#include "store/rows.h"

namespace kutsu::store::pg {

// A value in a result that the schema should have made impossible.
struct MalformedResult : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string seconds_text(Instant instant);
Param seconds_param(std::optional<Instant> instant);

// An array literal of text elements ({"a","b",NULL}), quoted so that any
// text survives.
std::string array_literal(const std::vector<Param>& elements);
std::string array_literal(const std::vector<std::string>& elements);

// Readers of one value; each throws MalformedResult on NULL or bad text.
std::int64_t integer_at(const PgRows& rows, std::size_t row, std::size_t column);
std::optional<std::int64_t> optional_integer_at(const PgRows& rows, std::size_t row,
                                                std::size_t column);
std::string text_at(const PgRows& rows, std::size_t row, std::size_t column);
Instant instant_at(const PgRows& rows, std::size_t row, std::size_t column);
std::optional<Instant> optional_instant_at(const PgRows& rows, std::size_t row,
                                           std::size_t column);
bool bool_at(const PgRows& rows, std::size_t row, std::size_t column);

// The notification columns every query returns, in this order, and their
// reader: `first` is the column of the id.
inline constexpr std::string_view kNotificationColumns =
    "n.id, n.series_id, n.session_id, n.kind, n.reminder_offset, n.channel, n.recipient, n.due,"
    " n.session_start, n.state, n.attempts, n.next_attempt_at, n.last_result, n.created_at,"
    " n.updated_at, n.sent_at";
NotificationRow notification_at(const PgRows& rows, std::size_t row, std::size_t first = 0);

}  // namespace kutsu::store::pg
