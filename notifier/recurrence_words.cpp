#include "notifier/recurrence_words.h"

#include <array>
#include <string_view>

#include "notifier/date_format.h"

namespace kutsu::notifier {
namespace {

using agenda::Language;

constexpr std::array<std::string_view, 7> kFinnish = {
    "sunnuntaisin", "maanantaisin", "tiistaisin", "keskiviikkoisin",
    "torstaisin",   "perjantaisin", "lauantaisin"};
constexpr std::array<std::string_view, 7> kSwedish = {
    "söndagar", "måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar"};
constexpr std::array<std::string_view, 7> kEnglish = {
    "Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "3.3." / "3.3" / "3 Mar", with the year when `year` is set.
std::string short_date(date::local_days day, Language language, bool year) {
  const date::year_month_day ymd{day};
  const std::string d = std::to_string(static_cast<unsigned>(ymd.day()));
  const std::string m = std::to_string(static_cast<unsigned>(ymd.month()));
  const std::string y = std::to_string(static_cast<int>(ymd.year()));
  switch (language) {
    case Language::fi:
      return d + "." + m + "." + (year ? y : "");
    case Language::sv:
      return d + "." + m + (year ? "." + y : "");
    case Language::en:
      return d + " " + std::string(kMonths[static_cast<unsigned>(ymd.month()) - 1]) +
             (year ? " " + y : "");
  }
  return {};
}

// A weekly rule on at most one weekday, every week: the one shape words say
// exactly.
bool is_plain_weekly(const std::string& rule) {
  bool weekly = false;
  std::size_t begin = 0;
  while (begin <= rule.size()) {
    std::size_t end = rule.find(';', begin);
    if (end == std::string::npos) end = rule.size();
    const std::string part = rule.substr(begin, end - begin);
    begin = end + 1;
    if (part.empty()) continue;
    if (part == "FREQ=WEEKLY") {
      weekly = true;
    } else if (part.starts_with("BYDAY=")) {
      if (part.size() != 8) return false;  // one two-letter day, no ordinal
    } else if (part == "INTERVAL=1" || part.starts_with("UNTIL=") || part.starts_with("COUNT=") ||
               part.starts_with("WKST=")) {
      continue;
    } else {
      return false;
    }
  }
  return weekly;
}

}  // namespace

std::optional<std::string> recurrence_in_words(const agenda::Series& series,
                                               const agenda::RecurringSession& recurring,
                                               Language language) {
  const agenda::Recurrence& recurrence = recurring.recurrence;
  if (!recurrence.rule || !is_plain_weekly(*recurrence.rule) || recurring.occurrences.empty()) {
    return std::nullopt;
  }
  const agenda::Session& first = series.sessions[recurring.occurrences.front()];
  const agenda::Session& last = series.sessions[recurring.occurrences.back()];
  const date::local_days first_day = first.occurrence->planned;
  const date::local_days last_day = last.occurrence->planned;
  const date::local_seconds start = recurring.planned_start(first_day);
  const date::local_seconds end = start + recurring.length;
  const unsigned weekday = date::weekday{first_day}.c_encoding();

  std::string words;
  switch (language) {
    case Language::fi:
      words = std::string(kFinnish[weekday]) + " klo " + format_clock_range(start, end, language);
      break;
    case Language::sv:
      words = std::string(kSwedish[weekday]) + " kl. " + format_clock_range(start, end, language);
      break;
    case Language::en:
      words = std::string(kEnglish[weekday]) + " " + format_clock_range(start, end, language);
      break;
  }
  const bool same_year = date::year_month_day{first_day}.year() ==
                         date::year_month_day{last_day}.year();
  if (recurrence.open_ended) {
    constexpr std::array<std::string_view, 3> kFrom = {"alkaen ", "från ", "from "};
    words += ", " + std::string(kFrom[static_cast<int>(language)]) +
             short_date(first_day, language, true);
  } else {
    const std::string dash = language == Language::en ? " \u2013 " : "\u2013";
    words += ", " + short_date(first_day, language, !same_year) + dash +
             short_date(last_day, language, true);
  }
  std::vector<date::local_days> left_out(recurrence.except.begin(), recurrence.except.end());
  for (std::size_t index : recurring.occurrences) {
    if (series.sessions[index].cancelled) left_out.push_back(series.sessions[index].occurrence->planned);
  }
  std::sort(left_out.begin(), left_out.end());
  if (!left_out.empty()) {
    constexpr std::array<std::string_view, 3> kNot = {"ei ", "inte ", "not "};
    words += ", " + std::string(kNot[static_cast<int>(language)]);
    for (std::size_t i = 0; i < left_out.size(); ++i) {
      if (i > 0) words += ", ";
      words += short_date(left_out[i], language, !same_year);
    }
  }
  return words;
}

std::vector<std::string> occurrence_dates(const agenda::Series& series,
                                          const agenda::RecurringSession& recurring,
                                          Language language, std::size_t limit) {
  std::vector<std::string> dates;
  for (std::size_t index : recurring.occurrences) {
    const agenda::Session& session = series.sessions[index];
    if (session.cancelled) continue;
    if (dates.size() == limit) break;
    dates.push_back(format_span(wall_clock_of(session.start, *series.zone),
                                wall_clock_of(session.end, *series.zone), language));
  }
  return dates;
}

}  // namespace kutsu::notifier
