#include "model/time_format.h"

#include <cstdio>
#include <cstdlib>

namespace kutsu::model {
namespace {

using std::chrono::seconds;

// Appends `value` with at least `width` digits, zero-padded.
void append_number(std::string& out, long long value, int width) {
  char buffer[24];
  int length = std::snprintf(buffer, sizeof buffer, "%0*lld", width, value);
  out.append(buffer, static_cast<std::size_t>(length));
}

void append_date_time(std::string& out, date::local_seconds reading) {
  auto day = date::floor<date::days>(reading);
  date::year_month_day ymd{day};
  date::hh_mm_ss<seconds> time{reading - day};
  append_number(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  append_number(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_number(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  append_number(out, time.hours().count(), 2);
  out += ':';
  append_number(out, time.minutes().count(), 2);
  out += ':';
  append_number(out, time.seconds().count(), 2);
}

// Reads exactly `width` digits at text[pos]; false if they are not digits.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& value) {
  if (pos + static_cast<std::size_t>(width) > text.size()) return false;
  value = 0;
  for (int i = 0; i < width; ++i) {
    char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(width);
  return true;
}

bool expect(std::string_view text, std::size_t& pos, std::string_view choices) {
  if (pos >= text.size() || choices.find(text[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_utc(date::sys_seconds instant) {
  std::string out;
  out.reserve(20);
  append_date_time(out, date::local_seconds{instant.time_since_epoch()});
  out += 'Z';
  return out;
}

std::string format_in_zone(date::sys_seconds instant, const date::time_zone& zone) {
  seconds offset = zone.get_info(instant).offset;
  std::string out;
  out.reserve(25);
  append_date_time(out, date::local_seconds{instant.time_since_epoch() + offset});
  out += format_offset(offset);
  return out;
}

std::string format_local(date::local_seconds reading) {
  std::string out;
  out.reserve(19);
  append_date_time(out, reading);
  return out;
}

std::string format_clock(seconds time_of_day) {
  date::hh_mm_ss<seconds> time{time_of_day};
  std::string out;
  append_number(out, time.hours().count(), 2);
  out += ':';
  append_number(out, time.minutes().count(), 2);
  if (time.seconds().count() != 0) {
    out += ':';
    append_number(out, time.seconds().count(), 2);
  }
  return out;
}

std::string format_offset(seconds offset) {
  std::string out(1, offset < seconds{0} ? '-' : '+');
  out += format_clock(offset < seconds{0} ? -offset : offset);
  return out;
}

Result<date::sys_seconds> parse_rfc3339(std::string_view text) {
  auto bad = [&] {
    return Error{"'" + std::string(text) +
                 "' is not an RFC 3339 date-time like 2022-02-01T12:00:00Z or "
                 "2022-02-01T14:00:00+02:00"};
  };
  std::size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, "-") ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, "-") ||
      !read_digits(text, pos, 2, day) || !expect(text, pos, "Tt ") ||
      !read_digits(text, pos, 2, hour) || !expect(text, pos, ":") ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ":") ||
      !read_digits(text, pos, 2, second)) {
    return bad();
  }
  seconds offset{0};
  if (expect(text, pos, "Zz")) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    bool negative = text[pos] == '-';
    ++pos;
    int offset_hours, offset_minutes;
    if (!read_digits(text, pos, 2, offset_hours) || !expect(text, pos, ":") ||
        !read_digits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return bad();
    }
    offset = std::chrono::hours{offset_hours} + std::chrono::minutes{offset_minutes};
    if (negative) offset = -offset;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();

  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  // RFC 3339 allows second 60 (a leap second); POSIX time has no place for it.
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) {
    return Error{"'" + std::string(text) + "' is not a valid date and time"};
  }
  auto reading = date::local_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
                 seconds{second};
  return date::sys_seconds{reading.time_since_epoch() - offset};
}

}  // namespace kutsu::model
