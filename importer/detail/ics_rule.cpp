#include "importer/detail/ics_rule.h"

#include <cstdlib>
#include <memory>

#include "agenda/detail/recurrence_rule.h"

namespace kutsu::importer::detail {

std::string rule_text(const icalrecurrencetype& rule) {
  icalrecurrencetype copy = rule;
  const std::unique_ptr<char, decltype(&std::free)> text(icalrecurrencetype_as_string_r(&copy), &std::free);
  return text ? std::string(text.get()) : std::string();
}

Result<std::string> repeat_rule(icalrecurrencetype rule, date::local_seconds first,
                                const date::time_zone& series) {
  if (!icaltime_is_null_time(rule.until) &&
      (rule.until.year < 1 || rule.until.year > 9999 || rule.until.month < 1 || rule.until.month > 12 ||
       rule.until.day < 1 || rule.until.day > 31 || rule.until.hour < 0 || rule.until.hour > 23)) {
    return Error{"its UNTIL is not a date"};
  }
  if (!icaltime_is_null_time(rule.until) && !rule.until.is_date) {
    const date::local_seconds written =
        date::local_days{date::year{rule.until.year} / static_cast<unsigned>(rule.until.month) /
                         static_cast<unsigned>(rule.until.day)} +
        std::chrono::hours{rule.until.hour} + std::chrono::minutes{rule.until.minute} +
        std::chrono::seconds{rule.until.second};
    // A UTC UNTIL is an instant; a local one (not allowed by RFC 5545 with a
    // zoned DTSTART, but written) is read in the series zone.
    const date::local_seconds until =
        icaltime_is_utc(rule.until) ? series.to_local(date::sys_seconds{written.time_since_epoch()}) : written;
    date::local_days last = date::floor<date::days>(until);
    const auto time_of_day = [](date::local_seconds t) { return t - date::floor<date::days>(t); };
    if (time_of_day(until) < time_of_day(first)) last -= date::days{1};
    const date::year_month_day ymd{last};
    rule.until = icaltime_null_date();
    rule.until.year = static_cast<int>(ymd.year());
    rule.until.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    rule.until.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    rule.until.is_date = 1;
  }
  std::string text = rule_text(rule);
  if (text.empty()) return Error{"libical cannot write the rule back"};
  if (auto problem = agenda::detail::check_rule(text)) return Error{problem->message};
  return text;
}

}  // namespace kutsu::importer::detail
