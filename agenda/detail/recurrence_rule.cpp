#include "agenda/detail/recurrence_rule.h"

#include <array>
#include <memory>

#include <libical/ical.h>

namespace kutsu::agenda::detail {
namespace {

struct Part {
  std::string_view name;
  std::string_view value;
  std::size_t offset;
};

std::vector<Part> split(std::string_view rule) {
  std::vector<Part> parts;
  std::size_t begin = 0;
  while (begin <= rule.size()) {
    std::size_t end = rule.find(';', begin);
    if (end == std::string_view::npos) end = rule.size();
    std::string_view text = rule.substr(begin, end - begin);
    std::size_t equals = text.find('=');
    parts.push_back(Part{text.substr(0, equals),
                         equals == std::string_view::npos ? std::string_view{} : text.substr(equals + 1),
                         begin});
    begin = end + 1;
  }
  return parts;
}

constexpr std::array kAccepted = {std::string_view("FREQ"),       std::string_view("INTERVAL"),
                                  std::string_view("COUNT"),      std::string_view("UNTIL"),
                                  std::string_view("BYDAY"),      std::string_view("BYMONTHDAY"),
                                  std::string_view("BYMONTH"),    std::string_view("BYSETPOS"),
                                  std::string_view("WKST")};

bool parses(const std::string& text) {
  icalerror_clear_errno();
  struct icalrecurrencetype parsed = icalrecurrencetype_from_string(text.c_str());
  return parsed.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR;
}

struct IteratorFree {
  void operator()(icalrecur_iterator* iterator) const { icalrecur_iterator_free(iterator); }
};

icaltimetype to_ical(date::local_seconds reading) {
  const date::local_days day = date::floor<date::days>(reading);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{reading - day};
  icaltimetype result = icaltime_null_time();
  result.year = static_cast<int>(ymd.year());
  result.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  result.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  result.hour = static_cast<int>(time.hours().count());
  result.minute = static_cast<int>(time.minutes().count());
  result.second = static_cast<int>(time.seconds().count());
  result.is_date = 0;
  return result;
}

date::local_seconds from_ical(const icaltimetype& time) {
  return date::local_days{date::year{time.year} / static_cast<unsigned>(time.month) /
                          static_cast<unsigned>(time.day)} +
         std::chrono::hours{time.hour} + std::chrono::minutes{time.minute} +
         std::chrono::seconds{time.second};
}

}  // namespace

std::optional<RuleProblem> check_rule(std::string_view rule) {
  std::vector<Part> parts = split(rule);
  std::optional<std::string_view> freq;
  bool count = false;
  bool until = false;
  for (const Part& part : parts) {
    if (part.name.empty() && part.value.empty() && part.offset == rule.size() && part.offset > 0) {
      continue;  // a trailing ';'
    }
    if (part.name == "FREQ") freq = part.value;
    count = count || part.name == "COUNT";
    until = until || part.name == "UNTIL";
    bool known = false;
    for (std::string_view accepted : kAccepted) known = known || part.name == accepted;
    if (!known) {
      const std::string name(part.name);
      if (name == "BYHOUR" || name == "BYMINUTE" || name == "BYSECOND") {
        return RuleProblem{part.offset, name + " is not supported: a session repeats by days; "
                                               "give one session per time of day"};
      }
      if (name == "BYWEEKNO" || name == "BYYEARDAY") {
        return RuleProblem{part.offset, name + " is not supported; use BYDAY, BYMONTHDAY, "
                                               "BYMONTH or BYSETPOS"};
      }
      return RuleProblem{part.offset, "'" + std::string(part.name.empty() ? part.value : part.name) +
                                          "' is not a part of a repeat rule (expected NAME=VALUE "
                                          "with FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, "
                                          "BYMONTH, BYSETPOS or WKST)"};
    }
  }
  if (!freq) return RuleProblem{0, "a repeat rule needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)"};
  const bool fine = *freq == "SECONDLY" || *freq == "MINUTELY" || *freq == "HOURLY";
  const bool coarse = *freq == "DAILY" || *freq == "WEEKLY" || *freq == "MONTHLY" ||
                      *freq == "YEARLY";
  for (const Part& part : parts) {
    if (part.name != "FREQ") continue;
    if (fine) {
      return RuleProblem{part.offset, "FREQ=" + std::string(*freq) +
                                          " repeats more often than daily; a session repeats "
                                          "DAILY, WEEKLY, MONTHLY or YEARLY"};
    }
    if (!coarse) {
      return RuleProblem{part.offset, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not '" +
                                          std::string(*freq) + "'"};
    }
  }
  if (count && until) {
    for (const Part& part : parts) {
      if (part.name == "UNTIL") {
        return RuleProblem{part.offset, "a repeat rule takes COUNT or UNTIL, not both"};
      }
    }
  }
  // Each part on its own with the rule's FREQ: the first libical refuses is
  // where the rule is wrong.
  for (const Part& part : parts) {
    if (part.name.empty() || part.name == "FREQ") continue;
    if (!parses("FREQ=" + std::string(*freq) + ";" + std::string(part.name) + "=" +
                std::string(part.value))) {
      return RuleProblem{part.offset, "'" + std::string(part.name) + "=" + std::string(part.value) +
                                          "' is not a valid " + std::string(part.name) + " value"};
    }
    if (part.name == "BYDAY" && (*freq == "DAILY" || *freq == "WEEKLY")) {
      for (char c : part.value) {
        if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
          return RuleProblem{part.offset,
                             "BYDAY with a number (like 2TU or -1SU) needs FREQ=MONTHLY or "
                             "FREQ=YEARLY"};
        }
      }
    }
  }
  if (!parses(std::string(rule))) return RuleProblem{0, "libical cannot read this repeat rule"};
  return std::nullopt;
}

bool is_open_ended(std::string_view rule) {
  for (const Part& part : split(rule)) {
    if (part.name == "COUNT" || part.name == "UNTIL") return false;
  }
  return true;
}

std::vector<date::local_seconds> expand_rule(std::string_view rule, date::local_seconds first,
                                             const date::time_zone& zone, date::local_days until,
                                             std::size_t limit) {
  const std::string text(rule);
  struct icalrecurrencetype parsed = icalrecurrencetype_from_string(text.c_str());
  if (!icaltime_is_null_time(parsed.until)) {
    if (parsed.until.is_date) {
      // The whole day: an occurrence at 18:00 on the UNTIL date is included.
      parsed.until.is_date = 0;
      parsed.until.hour = 23;
      parsed.until.minute = 59;
      parsed.until.second = 59;
    } else if (icaltime_is_utc(parsed.until)) {
      const date::sys_seconds instant{from_ical(parsed.until).time_since_epoch()};
      parsed.until = to_ical(zone.to_local(instant));
    }
    parsed.until.zone = nullptr;
  }
  std::vector<date::local_seconds> readings;
  std::unique_ptr<icalrecur_iterator, IteratorFree> iterator(
      icalrecur_iterator_new(parsed, to_ical(first)));
  if (!iterator) return readings;
  const date::local_seconds last = until + date::days{1};
  for (icaltimetype next = icalrecur_iterator_next(iterator.get());
       !icaltime_is_null_time(next) && readings.size() < limit;
       next = icalrecur_iterator_next(iterator.get())) {
    const date::local_seconds reading = from_ical(next);
    if (reading >= last) break;
    readings.push_back(reading);
  }
  return readings;
}

}  // namespace kutsu::agenda::detail
