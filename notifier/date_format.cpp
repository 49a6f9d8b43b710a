#include "notifier/date_format.h"

#include <array>
#include <cstdio>
#include <string_view>

#include <date/tz.h>

#include "model/time_rules.h"

namespace kutsu::notifier {
namespace {

using agenda::Language;

// Name tables instead of std::locale: the fi_FI/sv_SE locales are often not
// installed on servers, and their abbreviations vary between C libraries.
// Indexed by date::weekday::c_encoding() (Sunday = 0).
constexpr std::array<std::string_view, 7> kFinnishWeekdays = {"su", "ma", "ti", "ke",
                                                              "to", "pe", "la"};
constexpr std::array<std::string_view, 7> kSwedishWeekdays = {"sön",  "mån", "tis", "ons",
                                                              "tors", "fre", "lör"};
constexpr std::array<std::string_view, 7> kEnglishWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                              "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kEnglishMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::string_view kEnDash = "\u2013";

std::string_view weekday_name(date::weekday weekday, Language language) {
  unsigned index = weekday.c_encoding();
  switch (language) {
    case Language::fi:
      return kFinnishWeekdays[index];
    case Language::sv:
      return kSwedishWeekdays[index];
    case Language::en:
      return kEnglishWeekdays[index];
  }
  return kEnglishWeekdays[index];
}

date::local_days day_of(date::local_seconds time) { return date::floor<date::days>(time); }

}  // namespace

std::string format_date(date::local_days day, Language language) {
  date::year_month_day ymd{day};
  std::string out{weekday_name(date::weekday{day}, language)};
  char buffer[48];
  if (language == Language::en) {
    std::snprintf(buffer, sizeof buffer, " %u %s %d", unsigned{ymd.day()},
                  kEnglishMonths[unsigned{ymd.month()} - 1].data(), int{ymd.year()});
  } else {
    std::snprintf(buffer, sizeof buffer, " %u.%u.%d", unsigned{ymd.day()}, unsigned{ymd.month()},
                  int{ymd.year()});
  }
  out += buffer;
  return out;
}

std::string format_clock(date::local_seconds time, Language language) {
  date::hh_mm_ss clock{time - day_of(time)};
  char buffer[16];
  if (language == Language::en) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
  } else {
    std::snprintf(buffer, sizeof buffer, "%d.%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
  }
  return buffer;
}

std::string format_time(date::local_seconds time, Language language) {
  switch (language) {
    case Language::fi:
      return "klo " + format_clock(time, language);
    case Language::sv:
      return "kl. " + format_clock(time, language);
    case Language::en:
      return format_clock(time, language);
  }
  return format_clock(time, language);
}

std::string format_clock_range(date::local_seconds start, date::local_seconds end,
                               Language language) {
  std::string out = format_clock(start, language);
  out += kEnDash;
  out += format_clock(end, language);
  return out;
}

std::string format_moment(date::local_seconds time, Language language) {
  std::string out = format_date(day_of(time), language);
  out += language == Language::en ? ", " : " ";
  out += format_time(time, language);
  return out;
}

std::string format_span(date::local_seconds start, date::local_seconds end, Language language) {
  if (day_of(start) != day_of(end)) {
    std::string out = format_moment(start, language);
    out += " ";
    out += kEnDash;
    out += " ";
    out += format_moment(end, language);
    return out;
  }
  std::string out = format_date(day_of(start), language);
  switch (language) {
    case Language::fi:
      out += " klo ";
      break;
    case Language::sv:
      out += " kl. ";
      break;
    case Language::en:
      out += ", ";
      break;
  }
  out += format_clock_range(start, end, language);
  return out;
}

date::local_seconds wall_clock_of(const agenda::WrittenTime& time, const date::time_zone& zone) {
  if (!time.utc_offset) return time.local;
  return model::local_reading(time.instant_from_offset(), zone);
}

}  // namespace kutsu::notifier
